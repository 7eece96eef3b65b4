"""Scale-out benchmark: the load benchmark through nginx with 1 and with 2 replicas (deploy/).

    GEMEENTEN_REGISTRY_URL=postgresql+psycopg://… .venv/bin/python bench/scale.py [--sessions 30] [--rounds 3]

Starts ``deploy/stack.py``'s stack twice (1 replica, then 2, sharing the PostgreSQL registry),
runs N sessions that click at once through nginx, and reports reruns per second, latencies and
how many replicas served the sessions. Target (issue #16): 2 replicas ≥ 1.7 × the throughput of 1.
Writes bench/results/scale.json.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "deploy"))
import load  # noqa: E402
from stack import Stack  # noqa: E402


async def _measure(url: str, sessions: int, rounds: int) -> dict:
    return await load.bench_server(url, None, [sessions], rounds, naive=False, pages_alone=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sessions", type=int, default=30)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", default=str(HERE / "results" / "scale.json"))
    args = ap.parse_args()
    if not os.environ.get("GEMEENTEN_REGISTRY_URL", "").startswith("postgresql"):
        raise SystemExit("set GEMEENTEN_REGISTRY_URL to a PostgreSQL database shared by the replicas")
    result = {"cpus": os.cpu_count(), "sessions": args.sessions}
    for replicas in (1, 2):
        port = load.free_port()
        with Stack(replicas, port=port, base_port=load.free_port() + 1000 * replicas,
                   env={"GEMEENTEN_EDITOR_PASSWORD": ""}, debug_headers=True) as stack:
            level = asyncio.run(_measure(stack.url, args.sessions, args.rounds))["levels"][0]
        result[f"replicas_{replicas}"] = level
        print(f"{replicas} replica(s): {level['reruns_per_s']} reruns/s, p95 {level['p95_s']} s, "
              f"errors {level['errors']}, sessions per replica {level['sessions_per_replica']}, "
              f"load generator {level['client_cpu_share']} of a core", flush=True)
    result["throughput_ratio"] = round(result["replicas_2"]["reruns_per_s"] / result["replicas_1"]["reruns_per_s"], 2)
    result["met"] = result["throughput_ratio"] >= 1.7
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, indent=2))
    print(f"throughput 2 replicas / 1 replica: {result['throughput_ratio']} (target ≥ 1.7)")


if __name__ == "__main__":
    main()
