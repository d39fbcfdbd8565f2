#!/usr/bin/env python3
"""Writes the pact and the request list of the verifier benchmark (standard library only).

Usage: generate.py OUTPUT_DIR SIZE

It writes OUTPUT_DIR/pact-SIZE.json and OUTPUT_DIR/requests-SIZE.lua.

The pact is the mock-server benchmark's V3 banking pact (Scripts/bench/mock-server.d/generate.py, imported, not
copied): interaction n is `GET /api/accounts/ACC{n:04}`, every tenth a `POST /api/accounts/ACC{n:04}/deposits` with a
JSON body; responses are ~500-byte JSON documents with regex, type, integer and timestamp rules, and the requests have
rules too. One change: the provider states are removed. Neither verifier is given a state-change URL, so both send
exactly one request per interaction and nothing else.

The request list holds each interaction's recorded request (the example token, headers and body) once, in pact
order: the same requests the verifiers send, as a Lua table that mock-server.d/load.lua sends with wrk to measure the
stand-in's own limit.
"""
import importlib.util
import json
import os
import sys

# Scripts/bench/mock-server.d/generate.py, loaded by path (this file has the same name), with no __pycache__ written.
sys.dont_write_bytecode = True
_spec = importlib.util.spec_from_file_location(
    "mock_server_generate",
    os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "mock-server.d", "generate.py"))
banking = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(banking)


def pact(size):
    document = banking.pact(size)
    for interaction in document["interactions"]:
        interaction.pop("providerStates", None)
    return document


def recorded_requests(document):
    requests = []
    for interaction in document["interactions"]:
        request = interaction["request"]
        entry = {"method": request["method"], "path": request["path"], "headers": dict(request.get("headers", {}))}
        if "body" in request:
            entry["body"] = json.dumps(request["body"], separators=(",", ":"))
        requests.append(entry)
    return requests


def main(arguments):
    if len(arguments) != 2:
        sys.exit("usage: generate.py OUTPUT_DIR SIZE")
    output, size = arguments[0], int(arguments[1])
    os.makedirs(output, exist_ok=True)
    document = pact(size)
    with open(os.path.join(output, f"pact-{size}.json"), "w", encoding="utf-8") as file:
        json.dump(document, file, indent=2)
        file.write("\n")
    with open(os.path.join(output, f"requests-{size}.lua"), "w", encoding="utf-8") as file:
        file.write(banking.lua_table(recorded_requests(document)))


if __name__ == "__main__":
    main(sys.argv[1:])
