#!/usr/bin/env python3
"""Prints "INTERACTIONS PASSED FAILED" for one verifier run of the verifier benchmark (standard library only).

Usage: counts.py ours|reference JSON_REPORT OUTPUT_LOG

The counts come from the verifier's JSON report when it wrote one (it does when it finishes):
  ours       {"summary": {...}, "results": [{"status": "passed" | "failed" | ...}, ...]}
  reference  {"interactionResults": [{"result": "OK" | ...}, ...], "errors": [...]}
Without a report (a run stopped by the timeout) they are counted from what it printed: our lines start with
"✓ " or "✗ "; the reference prints "DESCRIPTION (Ns loading, Nms verification)" per interaction and "(FAILED)" on
each failed check.
"""
import json
import re
import sys


def from_report(kind, path):
    with open(path, encoding="utf-8") as file:
        report = json.load(file)
    if kind == "ours":
        results = [entry.get("status") for entry in report.get("results", [])]
        passed = sum(status == "passed" for status in results)
        return len(results), passed, len(results) - passed
    results = [entry.get("result") for entry in report.get("interactionResults", [])]
    passed = sum(result == "OK" for result in results)
    return len(results), passed, len(results) - passed


def from_output(kind, path):
    with open(path, encoding="utf-8", errors="replace") as file:
        text = file.read()
    if kind == "ours":
        passed = len(re.findall(r"^\s*✓ ", text, re.MULTILINE))
        failed = len(re.findall(r"^\s*✗ ", text, re.MULTILINE))
        return passed + failed, passed, failed
    blocks = re.split(r"^  \S.*\(\S+ loading, \S+ verification\)\s*$", text, flags=re.MULTILINE)[1:]
    failed = sum("FAILED" in block for block in blocks)
    return len(blocks), len(blocks) - failed, failed


def main(kind, report_path, output_path):
    try:
        counts = from_report(kind, report_path)
    except (OSError, ValueError, AttributeError):
        try:
            counts = from_output(kind, output_path)
        except OSError:
            counts = (0, 0, 0)
    print(*counts)


if __name__ == "__main__":
    if len(sys.argv) != 4 or sys.argv[1] not in ("ours", "reference"):
        sys.exit("usage: counts.py ours|reference JSON_REPORT OUTPUT_LOG")
    main(*sys.argv[1:])
