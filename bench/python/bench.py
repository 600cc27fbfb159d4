"""The Python client's no-op job cycle, measured as ../shared/bench/celery/bench.py measures Celery's, so the two
compare line by line: per repetition (i) latency: WARMUP sequential ``diag.noop`` round trips (discarded), then
LAT_N timed ones, p50/p90/p99/max (nearest rank) in ms; (ii) throughput: TP_N submissions (``--window`` of them
unfinished at most, the client's Batch), every result awaited; jobs/s = TP_N / (first submit -> last result),
submit/s = TP_N / (first submit -> last submit). One JSON object per repetition on stdout and in --out.

Connection settings from NATS_URL/NATS_TOKEN/.env as for the client. Standard library and this repository's
clients/python only.
"""
import argparse
import asyncio
import json
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "clients" / "python"))

from jetmesh import MeshClient, MeshSettings  # noqa: E402


def pct(sorted_vals, q):
    return sorted_vals[max(1, math.ceil(q * len(sorted_vals))) - 1]


async def latency(client, warmup, n):
    for i in range(warmup):
        await (await client.submit("diag.noop", data=b"%d" % i))
    samples = []
    pc = time.perf_counter
    for i in range(n):
        t = pc()
        r = await (await client.submit("diag.noop", data=b"%d" % i))
        samples.append((pc() - t) * 1000.0)
        assert r.succeeded
    s = sorted(samples)
    return {"n": n, "p50_ms": pct(s, 0.50), "p90_ms": pct(s, 0.90), "p99_ms": pct(s, 0.99), "max_ms": s[-1],
            "mean_ms": sum(s) / n}


async def throughput(client, n, window):
    pc = time.perf_counter
    batch = client.batch(window)
    t0 = pc()
    for i in range(n):
        await batch.submit("diag.noop", data=b"%d" % i)
    t_sub = pc()
    jobs = await batch.wait()
    t_end = pc()
    assert batch.completed == n, (batch.completed, batch.failed)
    assert all(j.done() for j in jobs)
    return {"n": n, "window": window, "submit_s": t_sub - t0, "total_s": t_end - t0, "submit_per_s": n / (t_sub - t0),
            "jobs_per_s": n / (t_end - t0)}


async def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--label", default="jetmesh-python")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--lat-n", type=int, default=2000)
    ap.add_argument("--tp-n", type=int, default=20000)
    ap.add_argument("--window", type=int, default=1000, help="most unfinished jobs during the throughput run")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    runs = []
    async with MeshClient(MeshSettings.from_env()) as client:
        for rep in range(1, a.reps + 1):
            run = {"label": a.label, "profile": "jetmesh-python", "rep": rep,
                   "latency": await latency(client, a.warmup, a.lat_n),
                   "throughput": await throughput(client, a.tp_n, a.window)}
            print(json.dumps(run), flush=True)
            runs.append(run)
    Path(a.out).write_text(json.dumps(runs, indent=1))


if __name__ == "__main__":
    asyncio.run(main())
