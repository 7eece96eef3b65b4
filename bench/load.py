"""Load benchmark over Streamlit's real websocket protocol (not part of the pass/fail tests).

    .venv/bin/python bench/load.py [--levels 1,10,30,50] [--rounds 3] [--parts levels,waves,naive,herd,browser]
    .venv/bin/python bench/load.py --url http://127.0.0.1:8080   # an already running stack (deploy/)

Starts one server process of the app (``streamlit run app.py``) and, in the same run, one of the
naive reference page (``bench/naive_page.py``). For each N in ``--levels``, N sessions
(``bench/wsclient.py``: the browser's protocol on ``/_stcore/stream``, with its message cache)
open a page (a mix of all pages) and then, in ``--rounds`` rounds, all click at once: each
changes the gemeente in the sidebar picker. Reported per level: p50/p95/max latency of those
reruns, errors (exceptions drawn, runs not finished), server CPU per rerun, server RSS, bytes per
rerun and map bytes per rerun. Also:

* **cold herd**: 25 sessions arriving at a freshly started server at once, time until each has its page;
* **memory waves**: RSS after each of 3 waves of 50 sessions (open, 2 reruns, close);
* **cold start**: process start to the first page rendered in Chromium (if Playwright and
  /usr/bin/chromium are there).

Targets (issue #16): 30 sessions p95 ≤ 2 s; warm rerun ≤ 40 ms server CPU; cold herd ≤ 5 s;
RSS after wave 3 within 10 % of wave 1, peak < 500 MB; cold start ≤ 3 s.
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from wsclient import Session  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
APP = "server.py"  # what is served: app.py behind the warm-up at server start
PAGES = ["overzicht", "werkloosheid", "mkb", "initiatieven", "woonwerk_co2", "bronnen"]
PICKER = "Gemeente"
GEMEENTEN = ["Amsterdam", "Vaals", "Schiermonnikoog", "Eemsdelta", "Rotterdam", "Utrecht", "Tilburg",
             "Groningen", "Maastricht", "Zwolle", "Almere", "Enschede"]
TARGETS = {"p95_s_at_30_max": 2.0, "cpu_ms_per_rerun_max": 40, "cold_herd_s_max": 5.0,
           "wave_growth_max": 0.10, "peak_mb_max": 500, "cold_start_s_max": 3.0}
CLK = os.sysconf("SC_CLK_TCK")


# --- the server process ----------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(script: str, port: int, extra_env: dict | None = None) -> tuple[subprocess.Popen, float]:
    """Start ``streamlit run script``; returns the process and the time it took to answer /health."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    env.setdefault("GEMEENTEN_REGISTRY_URL", "sqlite:///" + str(Path(os.environ.get("TMPDIR", "/tmp"))
                                                                / f"bench-registry-{port}.sqlite"))
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
                             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_healthy(f"http://127.0.0.1:{port}")
    return proc, time.perf_counter() - start


def wait_healthy(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{base} did not come up")


def cpu_seconds(pid: int | None) -> float:
    if pid is None:
        return float("nan")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK  # utime + stime


def _status_mb(pid: int | None, field: str) -> float:
    """A memory figure of /proc/PID/status in MB (VmRSS: now, VmHWM: the peak)."""
    if pid is None:
        return float("nan")
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb(pid: int | None) -> float:
    return _status_mb(pid, "VmRSS")


def hwm_mb(pid: int | None) -> float:
    return _status_mb(pid, "VmHWM")


# --- sessions --------------------------------------------------------------------------

def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(q * len(values) + 0.5)) - 1))]


async def open_sessions(base: str, n: int, pages: list[str]) -> tuple[list[Session], list]:
    sessions = [Session(base, page=pages[i % len(pages)], query="gemeente=GM0363") for i in range(n)]
    await asyncio.gather(*(s.connect() for s in sessions))
    runs = await asyncio.gather(*(s.run() for s in sessions), return_exceptions=True)
    return sessions, list(runs)


async def click_rounds(sessions: list[Session], rounds: int, rng: random.Random, naive: bool) -> list:
    runs = []
    for _ in range(rounds):
        def state(s):
            return None if naive or PICKER not in s.widgets else {PICKER: rng.choice(GEMEENTEN)}
        runs += await asyncio.gather(*(s.run(state(s)) for s in sessions), return_exceptions=True)
    return runs


def summarise(runs: list) -> dict:
    ok = [r for r in runs if not isinstance(r, BaseException)]
    errors = [repr(r) for r in runs if isinstance(r, BaseException)]
    errors += [e for r in ok for e in r.exceptions]
    errors += [f"finished={r.finished}" for r in ok if r.finished != 0]
    lat = [r.seconds for r in ok]
    return {"runs": len(runs), "errors": len(errors), "error_examples": errors[:3],
            "p50_s": round(statistics.median(lat), 3) if lat else None,
            "p95_s": round(pct(lat, 0.95), 3) if lat else None,
            "max_s": round(max(lat), 3) if lat else None,
            "kb_per_run": round(statistics.mean(r.bytes for r in ok) / 1000, 1) if ok else None,
            "map_kb_per_run": round(statistics.mean(r.map_bytes for r in ok) / 1000, 1) if ok else None,
            "map_kb_max_per_run": round(max(r.map_bytes for r in ok) / 1000, 1) if ok else None}


async def measure_level(base: str, pid: int | None, n: int, rounds: int, naive: bool) -> dict:
    rng = random.Random(n)
    sessions, first = await open_sessions(base, n, [""] if naive else PAGES)
    cpu0 = cpu_seconds(pid)
    start, client0 = time.perf_counter(), time.process_time()
    runs = await click_rounds(sessions, rounds, rng, naive)
    wall = time.perf_counter() - start
    cpu = cpu_seconds(pid) - cpu0
    await asyncio.gather(*(s.close() for s in sessions))
    out = {"sessions": n, **summarise(runs), "first_page": summarise(first),
           "reruns_per_s": round(len(runs) / wall, 1),
           "replicas_seen": len({s.upstream for s in sessions if s.upstream}),
           "sessions_per_replica": sorted(collections.Counter(s.upstream for s in sessions if s.upstream).values()),
           "client_cpu_share": round((time.process_time() - client0) / wall, 2)}  # of one core
    out["cpu_ms_per_rerun"] = round(1000 * cpu / max(1, len(runs)), 1) if pid else None
    out["rss_mb"] = round(rss_mb(pid), 1) if pid else None
    return out


async def per_page(base: str, pid: int | None, reruns: int) -> dict:
    """One session per page alone: CPU and bytes per warm rerun of that page."""
    out = {}
    rng = random.Random(1)
    for page in PAGES:
        s = Session(base, page=page, query="gemeente=GM0363")
        await s.connect()
        await s.run()
        await s.run({PICKER: "Vaals"})  # the first visit of a combination fills its caches
        cpu0 = cpu_seconds(pid)
        runs = [await s.run({PICKER: rng.choice(GEMEENTEN)}) for _ in range(reruns)]
        cpu = cpu_seconds(pid) - cpu0
        await s.close()
        out[page] = {**summarise(runs), "title": s.page_title, "cpu_ms_per_rerun": round(1000 * cpu / reruns, 1) if pid else None}
    return out


async def cold_herd(port: int, n: int, env: dict) -> dict:
    proc, boot = start_server(APP, port, env)
    try:
        base = f"http://127.0.0.1:{port}"
        start = time.perf_counter()
        sessions, runs = await open_sessions(base, n, PAGES)
        total = time.perf_counter() - start
        await asyncio.gather(*(s.close() for s in sessions))
        return {"sessions": n, "boot_s": round(boot, 2), **summarise(runs), "all_done_s": round(total, 2),
                "rss_mb": round(rss_mb(proc.pid), 1)}
    finally:
        proc.terminate()
        proc.wait(10)


async def waves(base: str, pid: int | None, n: int, count: int) -> dict:
    rss = []
    for w in range(count):
        sessions, first = await open_sessions(base, n, PAGES)
        await click_rounds(sessions, 2, random.Random(w), naive=False)
        await asyncio.gather(*(s.close() for s in sessions))
        await asyncio.sleep(2)  # let the server drop the closed sessions
        rss.append(round(rss_mb(pid), 1))
    growth = (rss[-1] - rss[0]) / rss[0] if rss and rss[0] else None
    return {"sessions_per_wave": n, "rss_mb_after_wave": rss,
            "growth_after_first": round(growth, 3) if growth is not None else None,
            "peak_mb": round(hwm_mb(pid), 1)}


def cold_start_browser(port: int, env: dict) -> dict:
    """Process start → the overview's title and map drawn in headless Chromium."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "playwright missing"}
    if not Path("/usr/bin/chromium").exists():
        return {"skipped": "no /usr/bin/chromium"}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        start = time.perf_counter()
        proc, boot = start_server(APP, port, env)
        try:
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_selector("h1", timeout=60_000)
            title = time.perf_counter() - start
            page.frame_locator('iframe[title="streamlit_folium.st_folium"]').first.locator("path.leaflet-interactive").nth(341).wait_for(
                state="attached", timeout=60_000)  # all 342 shapes of the gemeente map
            drawn = time.perf_counter() - start
        finally:
            proc.terminate()
            proc.wait(10)
            browser.close()
    return {"server_healthy_s": round(boot, 2), "title_s": round(title, 2), "map_drawn_s": round(drawn, 2)}


# --- main ------------------------------------------------------------------------------

async def bench_server(base: str, pid: int | None, levels: list[int], rounds: int, naive: bool,
                       pages_alone: bool = True) -> dict:
    # warm-up: every page once, so that the levels measure warm reruns
    sessions, _ = await open_sessions(base, 1 if naive else len(PAGES), [""] if naive else PAGES)
    await click_rounds(sessions, 1, random.Random(0), naive)
    await asyncio.gather(*(s.close() for s in sessions))
    out = {"levels": []}
    if not naive and pages_alone:
        out["per_page"] = await per_page(base, pid, 10)
    for n in levels:
        out["levels"].append(await measure_level(base, pid, n, rounds, naive))
        print(f"  {'naive' if naive else 'app'} N={n}: {out['levels'][-1]}", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--levels", default="1,10,30,50")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--url", help="benchmark this running server (e.g. nginx of deploy/) instead of starting one")
    ap.add_argument("--parts", default="levels,waves,naive,herd,browser",
                    help="which measurements to make (comma-separated; default all)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "load.json"))
    args = ap.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    parts = set(args.parts.split(","))
    env = {"GEMEENTEN_EDITOR_PASSWORD": ""}
    result = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
              "started": time.strftime("%Y-%m-%d %H:%M:%S"), "targets": TARGETS}

    if args.url:
        result["app"] = asyncio.run(bench_server(args.url, None, levels, args.rounds, naive=False))
        result["url"] = args.url
    else:
        port = free_port()
        proc, boot = start_server(APP, port, env)
        try:
            base = f"http://127.0.0.1:{port}"
            result["app"] = asyncio.run(bench_server(base, proc.pid, levels if "levels" in parts else [],
                                                     args.rounds, naive=False))
            result["app"]["boot_s"] = round(boot, 2)
            if "waves" in parts:
                result["waves"] = asyncio.run(waves(base, proc.pid, 50, 3))
                print(f"  waves: {result['waves']}", flush=True)
        finally:
            proc.terminate()
            proc.wait(10)
        if "naive" in parts:
            port = free_port()
            proc, _ = start_server("bench/naive_page.py", port, env)
            try:
                result["naive"] = asyncio.run(bench_server(f"http://127.0.0.1:{port}", proc.pid, levels,
                                                           args.rounds, naive=True))
            finally:
                proc.terminate()
                proc.wait(10)
        if "herd" in parts:
            result["cold_herd"] = asyncio.run(cold_herd(free_port(), 25, env))
            print(f"  cold herd: {result['cold_herd']}", flush=True)
        if "browser" in parts:
            result["cold_start"] = cold_start_browser(free_port(), env)
            print(f"  cold start: {result['cold_start']}", flush=True)

    result["met"] = judge(result)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print_table(result)


def judge(r: dict) -> dict:
    met = {}
    at30 = [lv for lv in r["app"]["levels"] if lv["sessions"] == 30]
    if at30:
        met["p95_at_30"] = at30[0]["p95_s"] <= TARGETS["p95_s_at_30_max"] and at30[0]["errors"] == 0
    cpu = [v["cpu_ms_per_rerun"] for v in r["app"].get("per_page", {}).values() if v["cpu_ms_per_rerun"]]
    if cpu:
        met["cpu_per_rerun"] = max(cpu) <= TARGETS["cpu_ms_per_rerun_max"]
    if "cold_herd" in r:
        met["cold_herd"] = r["cold_herd"]["max_s"] <= TARGETS["cold_herd_s_max"] and r["cold_herd"]["errors"] == 0
    if "waves" in r:
        met["waves"] = r["waves"]["growth_after_first"] <= TARGETS["wave_growth_max"]
        met["peak"] = r["waves"]["peak_mb"] < TARGETS["peak_mb_max"]
    if "map_drawn_s" in r.get("cold_start", {}):
        met["cold_start"] = r["cold_start"]["map_drawn_s"] <= TARGETS["cold_start_s_max"]
    return met


def print_table(r: dict) -> None:
    print("\n| server | sessions | p50 (s) | p95 (s) | max (s) | errors | reruns/s | CPU per rerun (ms) | RSS (MB) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in ("app", "naive"):
        for lv in r.get(name, {}).get("levels", []):
            print(f"| {name} | {lv['sessions']} | {lv['p50_s']} | {lv['p95_s']} | {lv['max_s']} | {lv['errors']} "
                  f"| {lv['reruns_per_s']} | {lv['cpu_ms_per_rerun']} | {lv['rss_mb']} |")
    if "per_page" in r["app"]:
        print("\n| page | p50 (s) | CPU per rerun (ms) | KB per rerun | map KB per rerun |")
        print("|---|---:|---:|---:|---:|")
        for page, v in r["app"]["per_page"].items():
            print(f"| {page} | {v['p50_s']} | {v['cpu_ms_per_rerun']} | {v['kb_per_run']} | {v['map_kb_per_run']} |")
    print("\nmet:", r["met"])


if __name__ == "__main__":
    main()
