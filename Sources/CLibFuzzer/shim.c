// Nothing to compile: the header declares a function that libFuzzer's runtime defines.
