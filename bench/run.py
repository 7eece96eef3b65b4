"""Benchmark of every page (not part of the pass/fail tests).

    .venv/bin/python bench/run.py [--reruns 10] [--out bench/results/latest.json]

Per page, in a fresh process: the first (cold) AppTest run, the median of N warm
reruns, and the bytes of each folium map the page sends. Also the peak memory (max
RSS) of one process that visits every page, and the same timings for a naive
reference page (bench/naive_page.py: geopandas + folium on every rerun, no cache).
Also the time to generate the gemeenterapport. Prints a table and writes it as JSON.
Targets: warm rerun ≤ 1/3 of the naive one, cold first page < 1.5 s, map data per rerun
< 40 KB (what the map component receives: the script with colours and labels; geometry is a
static file fetched once and cached by the browser), peak memory < 400 MB, one report < 3 s.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["pages/overzicht.py", "pages/werkloosheid.py", "pages/mkb.py", "pages/initiatieven.py",
         "pages/woonwerk_co2.py", "pages/bronnen.py"]
NAIVE = "bench/naive_page.py"
TARGETS = {"warm_ratio_max": 1 / 3, "cold_first_s_max": 1.5, "map_bytes_max": 40_000, "peak_mb_max": 400,
           "report_s_max": 3.0}


def _map_sizes(at) -> list[int]:
    return [len(el.proto.json_args) for el in at.get("component_instance")]


def measure_page(page: str, reruns: int) -> dict:
    """Run inside a fresh process: cold run, warm reruns, map payloads."""
    from streamlit.testing.v1 import AppTest
    if page == NAIVE:
        at = AppTest.from_file(str(ROOT / NAIVE), default_timeout=300)
        start = time.perf_counter()
        at.run()
    else:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.query_params["gemeente"] = "GM0363"
        start = time.perf_counter()
        at.run()
        if page != PAGES[0]:
            at.switch_page(page).run()
    cold = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception}")
    warm = []
    for _ in range(reruns):
        t0 = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t0)
    return {"page": page, "cold_s": cold, "warm_median_s": statistics.median(warm),
            "map_bytes": _map_sizes(at)}


def visit_all() -> dict:
    """Run inside a fresh process: visit every page once; report peak memory (max RSS)."""
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["gemeente"] = "GM0363"
    at.run()
    for page in PAGES[1:]:
        at.switch_page(page).run()
    return {"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def time_reports() -> dict:
    """Run inside a fresh process: the gemeenterapport, first in the process (data loading
    included) and then for other gemeenten (the largest city has the largest map)."""
    from lib import report
    t0 = time.perf_counter()
    report.html_report("GM0088")
    first = time.perf_counter() - t0
    times = {}
    for code in ("GM0363", "GM1979"):
        t0 = time.perf_counter()
        size = len(report.html_report(code))
        times[code] = (time.perf_counter() - t0, size)
    return {"first_s": first, "per_report_s": {c: v[0] for c, v in times.items()},
            "bytes": {c: v[1] for c, v in times.items()}}


def over_websocket(env: dict, reruns: int) -> dict:
    """The served app (``server.py``) over the real websocket (``bench/wsclient.py``, with the
    browser's message cache): per page the bytes of map data and of everything per rerun that
    changes the gemeente, and the server CPU per rerun."""
    import asyncio
    sys.path.insert(0, str(ROOT / "bench"))
    import load
    port = load.free_port()
    proc, _ = load.start_server(load.APP, port, {k: v for k, v in env.items() if k.startswith("GEMEENTEN_")})
    try:
        per_page = asyncio.run(load.per_page(f"http://127.0.0.1:{port}", proc.pid, reruns))
    finally:
        proc.terminate()
        proc.wait(10)
    return per_page


def _child(args: list[str], env: dict) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=900)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=10)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "latest.json"))
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--all", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--report", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure_page(args.one, args.reruns)))
        return 0
    if args.all:
        print(json.dumps(visit_all()))
        return 0
    if args.report:
        print(json.dumps(time_reports()))
        return 0

    tmp = tempfile.mkdtemp(prefix="gemeenten-bench-")
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "GEMEENTEN_REGISTRY_URL": f"sqlite:///{tmp}/registry.sqlite"}  # never the app's own registry
    _child(["--one", PAGES[0], "--reruns", "1"], env)  # creates and seeds the registry once
    naive = _child(["--one", NAIVE, "--reruns", str(args.reruns)], env)
    rows = [_child(["--one", p, "--reruns", str(args.reruns)], env) for p in PAGES]
    peak = _child(["--all"], env)["peak_mb"]
    reports = _child(["--report"], env)
    served = over_websocket(env, args.reruns)
    for r in rows:
        r["warm_ratio"] = r["warm_median_s"] / naive["warm_median_s"]
        ws = served.get(Path(r["page"]).stem, {})
        r["websocket"] = ws
        r["ok"] = (r["warm_ratio"] <= TARGETS["warm_ratio_max"]
                   and all(b < TARGETS["map_bytes_max"] for b in r["map_bytes"])
                   and (ws.get("map_kb_max_per_run") or 0) * 1000 < TARGETS["map_bytes_max"])
    result = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                          "platform": platform.platform()},
              "targets": TARGETS, "naive": naive, "pages": rows, "peak_mb": peak, "report": reports,
              "cold_first_page_s": rows[0]["cold_s"],
              "all_ok": all(r["ok"] for r in rows) and peak < TARGETS["peak_mb_max"]
              and rows[0]["cold_s"] < TARGETS["cold_first_s_max"]
              and max(reports["first_s"], *reports["per_report_s"].values()) < TARGETS["report_s_max"]}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(table(result))
    print(f"\nJSON: {args.out}")
    return 0


def table(result: dict) -> str:
    lines = ["| page | cold (s) | warm median (s) | warm / naive | map payload (KB) | websocket: map KB per rerun "
             "(mean / max) | websocket: KB per rerun | server CPU per rerun (ms) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    n = result["naive"]
    lines.append(f"| naive reference | {n['cold_s']:.2f} | {n['warm_median_s']:.3f} | 1.00 | "
                 f"{', '.join(f'{b / 1000:.0f}' for b in n['map_bytes'])} | | | |")
    for r in result["pages"]:
        ws = r.get("websocket") or {}
        lines.append(f"| {r['page']} | {r['cold_s']:.2f} | {r['warm_median_s']:.3f} | {r['warm_ratio']:.2f} | "
                     f"{', '.join(f'{b / 1000:.0f}' for b in r['map_bytes']) or '–'} | "
                     f"{ws.get('map_kb_per_run', '–')} / {ws.get('map_kb_max_per_run', '–')} | "
                     f"{ws.get('kb_per_run', '–')} | {ws.get('cpu_ms_per_rerun', '–')} |")
    r = result["report"]
    lines.append("\nGemeenterapport: first in a fresh process " + f"{r['first_s']:.2f} s; then "
                 + ", ".join(f"{c} {s:.2f} s ({r['bytes'][c] / 1000:.0f} KB)" for c, s in r["per_report_s"].items())
                 + ".")
    lines.append(f"Peak memory, one process visiting every page: {result['peak_mb']:.0f} MB. "
                 f"Cold first page: {result['cold_first_page_s']:.2f} s. All targets met: {result['all_ok']}.")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
