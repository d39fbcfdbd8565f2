#!/usr/bin/env python3
"""Prints the tables of the verifier benchmark from the files Scripts/bench/verifier writes (standard library only).

Usage: report.py RESULTS_TSV CLIENT_TXT SIZE PACT ISSUE_SECONDS VERSIONS

RESULTS_TSV has one line per verifier run; CLIENT_TXT holds the plain client's line:
"client 1 RESULT requests=... duration_us=... non2xx=... ... <TAB> STAND_IN_CPU_SECONDS" (empty when wrk failed).
Exits 1 when a verifier did not pass every interaction or the plain client failed, so the benchmark's exit status
says whether its figures can be trusted.
"""
import csv
import json
import re
import sys

NAMES = {"ours": "pactctl verify", "reference": "pact verifier (reference)", "client": "plain client (wrk -t1 -c1)"}
SPEED_TARGET = 10


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def grouped(value, digits=0):
    return f"{value:,.{digits}f}"


def rate(value):
    if value is None:
        return "-"
    if value >= 100:
        return grouped(value)
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def table(header, rows, right):
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    lines = []
    for row in [header] + rows:
        cells = [str(cell).rjust(widths[i]) if right[i] else str(cell).ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  " + "  ".join(cells).rstrip())
    lines.insert(1, "  " + "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def median_run(runs):
    """The run with the median wall time (the lower middle one for an even count), preferring runs that passed."""
    passed = [run for run in runs if run["status"] == "ok"] or runs
    ordered = sorted(passed, key=lambda run: number(run["wall_s"]) or 0)
    return ordered[(len(ordered) - 1) // 2]


def pact_facts(path):
    with open(path, encoding="utf-8") as file:
        pact = json.load(file)
    interactions = pact["interactions"]
    rules = 0
    for interaction in interactions:
        for part in ("request", "response"):
            for category in interaction[part].get("matchingRules", {}).values():
                rules += sum(len(rule.get("matchers", [])) for rule in category.values())
    sizes = [len(json.dumps(i["response"]["body"], separators=(",", ":"))) for i in interactions if "body" in i["response"]]
    states = sum(bool(i.get("providerStates")) for i in interactions)
    version = pact.get("metadata", {}).get("pactSpecification", {}).get("version", "?")
    return len(interactions), version, rules, sum(sizes) / max(1, len(sizes)), states


def main(results_path, client_path, size, pact_path, issue_seconds, versions):
    size, issue_seconds = int(size), float(issue_seconds)
    with open(results_path, newline="", encoding="utf-8") as file:
        results = list(csv.DictReader(file, delimiter="\t", quoting=csv.QUOTE_NONE))
    ours_runs = [row for row in results if row["tool"] == "ours"]
    reference_runs = [row for row in results if row["tool"] == "reference"]
    ours = median_run(ours_runs) if ours_runs else None
    reference = reference_runs[0] if reference_runs else None

    client = None
    try:
        with open(client_path, encoding="utf-8") as file:
            text = file.read()
        figures = dict(re.findall(r"([a-z0-9_]+)=([0-9]+)", text))
        client = {
            "requests": int(figures["requests"]),
            "seconds": int(figures["duration_us"]) / 1e6,
            "non2xx": int(figures["non2xx"]),
            "errors": sum(int(figures[key]) for key in ("connect", "read", "write", "timeout")),
            "standin_cpu": number(text.rstrip("\n").split("\t")[-1]),
        }
        client["rps"] = client["requests"] / client["seconds"] if client["seconds"] else None
    except (OSError, KeyError, ValueError):
        client = None

    count, version, rules, body_bytes, states = pact_facts(pact_path)
    print()
    print(f"Verifier benchmark ({versions})")
    print(f"Pact: {count} interactions, V{version}, {rules:,} matching rules, JSON response bodies of "
          f"{body_bytes:.0f} bytes on average, {states} with provider states (no state-change URL for either tool).")
    print("Provider stand-in: pactctl mock --pact PACT --quiet on core 1, started afresh for every run;")
    print("each verifier on core 0 under /usr/bin/time -v. Wall time covers the whole process, pact loading included.")
    print()

    def verifier_row(row, label):
        if row is None:
            return [label, "not run"] + [""] * 7
        wall = number(row["wall_s"])
        done = int(row["interactions"] or 0)
        passed = int(row["passed"] or 0)
        per_second = (done if row["status"] == "timed out" else size) / wall if wall else None
        user, system = number(row["user_s"]), number(row["sys_s"])
        cpu = user + system if user is not None and system is not None else None
        rss = number(row["peak_rss_kb"])
        standin = number(row["standin_cpu_s"])
        if row["status"] == "ok":
            result = f"{passed}/{size} passed"
        elif row["status"] == "timed out":
            result = f"TIMED OUT ({done}/{size} done)"
        else:
            result = f"{row['status'].upper()} ({passed}/{size} passed)"
        return [label, result, f"{wall:.3f}" if wall is not None else "-", rate(per_second),
                f"{cpu:.2f}" if cpu is not None else "-",
                f"{cpu / wall * 100:.0f}%" if cpu is not None and wall else "-",
                grouped(rss / 1024, 1) if rss else "-",
                f"{standin * 1000 / max(1, done):.2f}" if standin is not None and done else "-"]

    rows = []
    if ours_runs:
        rows.append(verifier_row(ours, NAMES["ours"] + (f" (median of {len(ours_runs)})" if len(ours_runs) > 1 else "")))
    rows.append(verifier_row(reference, NAMES["reference"]))
    if client:
        rows.append([NAMES["client"], f"{client['requests']:,} requests, {client['non2xx']} non-2xx",
                     f"{client['seconds']:.3f}", rate(client["rps"]), "-", "-", "-",
                     f"{client['standin_cpu'] * 1000 / client['requests']:.2f}"
                     if client["standin_cpu"] is not None and client["requests"] else "-"])
    else:
        rows.append([NAMES["client"], "FAILED (wrk gave no result)"] + [""] * 6)
    print(table(["", "result", "wall s", "interactions/s", "CPU s", "CPU %", "peak RSS MB", "stand-in CPU ms/request"],
                rows, [False, False, True, True, True, True, True, True]))
    if len(ours_runs) > 1:
        walls = ", ".join(f"{number(run['wall_s']):.3f}" for run in ours_runs)
        peaks = ", ".join(grouped((number(run["peak_rss_kb"]) or 0) / 1024, 1) for run in ours_runs)
        print(f"  Our runs: wall {walls} s; peak RSS {peaks} MB.")
    if client:
        print(f"  The plain client does no matching; one request per interaction, so its requests/s is the most "
              f"interactions/s a sequential verifier could reach here ({client['requests']:,} requests in "
              f"{client['seconds']:.1f} s; {size} would take {size / client['rps'] * 1000:.0f} ms).")
    notes = [row for row in results if row["note"]]
    for row in notes:
        print(f"  {NAMES[row['tool']]}, run {row['run']}: {row['status']}; {row['note']}")

    print()
    print("Summary lines")
    for row, label in ((ours, "pactctl verify"), (reference, "pact verifier")):
        if row is not None:
            print(f"  {label + ':':16} {row['summary'] or '(none printed)'}")
    if reference is not None and reference["status"] == "ok":
        print(f"  {'':16} (the reference prints no summary line when every interaction passes; "
              "the counts are from its JSON report)")
    for row in results:
        print(f"  {'stand-in:':16} {row['standin_report'] or '(no report)'}   [after {row['tool']} run {row['run']}]")

    print()
    print("Ratios")

    def speed(row):
        wall = number(row["wall_s"]) if row else None
        if not wall:
            return None
        return (int(row["interactions"] or 0) if row["status"] == "timed out" else size) / wall

    ours_speed, reference_speed = speed(ours), speed(reference)
    if ours_speed and reference_speed:
        times = ours_speed / reference_speed
        bound = " (estimated: the reference timed out; its rate is from what it finished)" \
            if reference["status"] == "timed out" else ""
        verdict = "met" if times >= SPEED_TARGET else "NOT met"
        print(f"  speed, ours ÷ reference:           {times:,.1f}×{bound}   (target ≥ {SPEED_TARGET}×: {verdict})")
    else:
        print("  speed, ours ÷ reference:           n/a")
    ours_rss = number(ours["peak_rss_kb"]) if ours else None
    reference_rss = number(reference["peak_rss_kb"]) if reference else None
    if ours_rss and reference_rss:
        verdict = "met" if ours_rss <= reference_rss else "NOT met"
        print(f"  peak RSS, ours vs reference:       {ours_rss / 1024:.1f} MB vs {reference_rss / 1024:.1f} MB, "
              f"{ours_rss / reference_rss:.2f}× (target: ours ≤ reference: {verdict})")
    else:
        print("  peak RSS, ours vs reference:       n/a")
    if ours_speed and client and client["rps"]:
        print(f"  ours as % of the plain client:     {ours_speed / client['rps'] * 100:.0f}% "
              f"({rate(ours_speed)} of {rate(client['rps'])} interactions/s)")
        if reference_speed:
            print(f"  reference as % of the plain client: {reference_speed / client['rps'] * 100:.1f}%")
    print()
    print(f"The issue states that the reference needs about {issue_seconds:.0f} s for 1000 interactions on this "
          f"machine (about {1000 / issue_seconds:.0f} interactions/s).")
    if reference is not None and number(reference["wall_s"]):
        measured = "stopped" if reference["status"] == "timed out" else "measured"
        print(f"This run {measured} {number(reference['wall_s']):.1f} s for the reference at {size} interactions "
              f"({rate(reference_speed)} interactions/s)"
              + (f" and {number(ours['wall_s']):.3f} s for ours ({rate(ours_speed)} interactions/s)." if ours else "."))

    trusted = (ours is not None and ours["status"] == "ok" and reference is not None and reference["status"] == "ok"
               and client is not None and client["non2xx"] == 0 and client["errors"] == 0)
    if not trusted:
        print()
        print("NOT ALL RUNS PASSED: see the result column and the notes above.")
        sys.exit(1)


if __name__ == "__main__":
    if len(sys.argv) != 7:
        sys.exit("usage: report.py RESULTS_TSV CLIENT_TXT SIZE PACT ISSUE_SECONDS VERSIONS")
    main(*sys.argv[1:])
