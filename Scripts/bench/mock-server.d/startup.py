"""Precise start-up time: from process start to the first 2xx answer, polled over a socket in this process.

The shell loop in mock-server starts a curl (and, for pactctl, a sed) per poll, which adds several milliseconds; this
probe does not. Usage: startup.py RUNS PATH HEADER... -- COMMAND...   (COMMAND's stdout must print the URL, or
give --port N before -- to poll a fixed port). Prints the median and the individual runs in milliseconds.
"""
import re
import socket
import statistics
import subprocess
import sys
import time


def main() -> int:
    args = sys.argv[1:]
    runs, path = int(args[0]), args[1]
    split = args.index("--")
    options, command = args[2:split], args[split + 1:]
    port = None
    headers = []
    i = 0
    while i < len(options):
        if options[i] == "--port":
            port = int(options[i + 1])
            i += 2
        else:
            headers.append(options[i])
            i += 1
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n"
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            target = port
            if target is None:
                line = process.stdout.readline()
                found = re.search(r"https?://[^:\s]+:(\d+)", line)
                if not found:
                    print("no URL printed", file=sys.stderr)
                    return 1
                target = int(found.group(1))
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", target), timeout=60) as connection:
                        connection.sendall(request.encode())
                        status = connection.recv(64).split(b" ", 2)[1]
                        if status.startswith(b"2"):
                            samples.append((time.perf_counter() - started) * 1000)
                            break
                        print(f"answered {status.decode()}", file=sys.stderr)
                        return 1
                except (ConnectionRefusedError, ConnectionResetError, IndexError):
                    time.sleep(0.0005)
        finally:
            process.terminate()
            process.wait()
    print(f"{statistics.median(samples):.1f} " + " ".join(f"{s:.1f}" for s in samples))
    return 0


if __name__ == "__main__":
    sys.exit(main())
