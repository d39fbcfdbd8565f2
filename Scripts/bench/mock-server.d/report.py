#!/usr/bin/env python3
"""Prints the tables of the mock-server benchmark from the files Scripts/bench/mock-server writes.

Usage: report.py RESULTS_TSV SOAK_TSV VERSIONS
"""
import csv
import sys

NAMES = {"ours": "pactctl mock", "reference": "reference stub", "nginx": "nginx"}


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def grouped(value, digits=0):
    return f"{value:,.{digits}f}"


def rate(value):
    if value >= 100:
        return grouped(value)
    return f"{value:.2f}" if value >= 1 else f"{value:.3f}"


def table(header, rows, right):
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    lines = []
    for row in [header] + rows:
        cells = [str(cell).rjust(widths[i]) if right[i] else str(cell).ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  " + "  ".join(cells).rstrip())
    lines.insert(1, "  " + "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def measured(row):
    """The row's figures when its requests/s may be compared, else None."""
    if row is None or row["status"] != "ok":
        return None
    return row


def ratio(numerator, denominator, suffix="×"):
    if numerator is None or denominator is None or denominator == 0:
        return "n/a"
    value = numerator / denominator
    return f"{grouped(value)}{suffix}" if value >= 100 else f"{value:.1f}{suffix}" if value >= 10 else f"{value:.2f}{suffix}"


def main(results_path, soak_path, versions):
    with open(results_path, newline="", encoding="utf-8") as file:
        results = list(csv.DictReader(file, delimiter="\t"))
    sizes = []
    for row in results:
        if row["size"] not in sizes:
            sizes.append(row["size"])

    print()
    print(f"Mock-server benchmark ({versions})")
    print("Each server pinned to core 1, wrk to core 0; the same banking request mix for all three.")
    print()
    rows, notes = [], []
    for row in results:
        status = row["status"]
        requests = number(row["requests"]) or 0
        non2xx = number(row["non2xx"]) or 0
        if status == "did not start":
            figures = ["did not start", "", "", "", ""]
        else:
            share = f" ({non2xx / requests * 100:.1f}%)" if requests and non2xx else ""
            figures = [
                rate(number(row["rps"]) or 0) if requests else "timed out",
                grouped(number(row["p99_ms"]), 1) if requests else "-",
                f"{int(non2xx)}{share}",
                grouped(number(row["peak_rss_mb"]), 1),
                grouped(number(row["startup_ms"])) if row["startup_ms"] else "-",
            ]
        mark = ""
        if row["note"] or status not in ("ok",):
            notes.append(f"{NAMES[row['server']]}, {row['size']} interaction(s): {status.upper() if status != 'ok' else status}"
                         + (f"; {row['note']}" if row["note"] else ""))
            mark = f"[{len(notes)}]" if status == "ok" else f"[{len(notes)}] {status.upper()}"
        rows.append([row["size"], NAMES[row["server"]]] + figures
                    + [f"{int(requests):,} in {row['seconds']}s" if row["seconds"] else "", mark])
    print(table(["interactions", "server", "requests/s", "p99 ms", "non-2xx", "peak RSS MB", "start-up ms",
                 "requests", "note"], rows, [True, False, True, True, True, True, True, True, False]))
    for index, note in enumerate(notes, 1):
        print(f"  [{index}] {note}")

    print()
    print("Ratios (ours against the reference stub server and against nginx)")
    print()
    ratio_rows = []
    for size in sizes:
        by_server = {row["server"]: row for row in results if row["size"] == size}
        ours, reference, nginx = (measured(by_server.get(kind)) for kind in ("ours", "reference", "nginx"))
        reference_started = by_server.get("reference", {}).get("status") not in (None, "did not start")

        def figure(row, key):
            return number(row[key]) if row else None

        throughput = ratio(figure(ours, "rps"), figure(reference, "rps"))
        if ours and by_server.get("reference", {}).get("status") == "timed out":
            throughput = "reference timed out"
        of_nginx = ratio(figure(ours, "rps") and figure(ours, "rps") * 100, figure(nginx, "rps"), "%")
        latency = ratio(figure(reference, "p99_ms"), figure(ours, "p99_ms"))
        memory = ratio(number(by_server["reference"]["peak_rss_mb"]) if reference_started else None,
                       number(by_server["ours"]["peak_rss_mb"]) if "ours" in by_server else None)
        startup = ratio(number(by_server["reference"]["startup_ms"]) if reference_started else None,
                        number(by_server["ours"]["startup_ms"]) if "ours" in by_server else None)
        ratio_rows.append([size, throughput, of_nginx, latency, memory, startup])
    print(table(["interactions", "req/s ours ÷ ref", "ours % of nginx req/s", "p99 ref ÷ ours",
                 "peak RSS ref ÷ ours", "start-up ref ÷ ours"], ratio_rows, [True] * 6))

    with open(soak_path, newline="", encoding="utf-8") as file:
        soak = list(csv.DictReader(file, delimiter="\t"))
    if soak:
        total = int(soak[-1]["requests"])
        seconds = soak[-2]["after"] if len(soak) > 1 else "?"
        print()
        print(f"Memory check: our server at 100 interactions, {total:,} requests in {seconds}")
        print()
        rows = [[entry["after"], f"{int(entry['requests']):,}", grouped(int(entry["rss_kb"]) / 1024, 1)]
                for entry in soak]
        print(table(["after", "requests", "RSS MB"], rows[:-1], [False, True, True]))
        warm = int(soak[1]["rss_kb"]) / 1024
        last = int(soak[-2]["rss_kb"]) / 1024
        growth = last - warm
        flat = growth <= max(5.0, warm * 0.10)
        print(f"  peak (VmHWM) {grouped(int(soak[-1]['rss_kb']) / 1024, 1)} MB; "
              f"growth after warm-up {growth:+.1f} MB over {total:,} requests: {'flat' if flat else 'GROWING'}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: report.py RESULTS_TSV SOAK_TSV VERSIONS")
    main(*sys.argv[1:])
