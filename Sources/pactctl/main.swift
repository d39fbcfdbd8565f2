print("pactctl")
