"""Argon2id from tillit (Rust and Python) beside argon2-cffi and PyNaCl (libsodium), measured
in one run on this machine, as ratios of median times.

Run from the repository root after `scripts/test-python` has built the extension in release
mode (`maturin develop --release`). `scripts/bench` runs it as part of the full report.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import threading
import time
from collections.abc import Callable

import argon2
import nacl.pwhash

import tillit

PASSWORD = "correct horse battery staple"
RUNS = int(os.environ.get("TILLIT_BENCH_RUNS", "15"))


def median_seconds(fn: Callable[[], object], runs: int = RUNS) -> float:
    fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def rust_median(m: int, t: int, p: int, runs: int = RUNS) -> float:
    out = subprocess.run(
        ["cargo", "bench", "-q", "--bench", "password_timing", "--", str(m), str(t), str(p),
         str(runs)],
        check=True, capture_output=True, text=True,
    ).stdout
    return float(json.loads(out.strip().splitlines()[-1])["median_s"])


def throughput(fn: Callable[[], object], threads: int, seconds: float = 3.0) -> float:
    """Calls per second of `threads` threads each calling `fn` until `seconds` have passed.

    The clock stops when the last thread has finished its last call, so a call that runs past
    the deadline is counted in full and its time with it.
    """
    count = [0] * threads
    started = time.perf_counter()
    stop = started + seconds

    def work(i: int) -> None:
        while time.perf_counter() < stop:
            fn()
            count[i] += 1

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return sum(count) / (time.perf_counter() - started)


def scaling(fn: Callable[[], object], seconds: float = 3.0, rounds: int = 3) -> tuple[float, float]:
    """Median calls per second on one thread and on two, measured in alternating rounds.

    On a shared two-core machine one short measurement of each can land on a quiet and a busy
    moment and move the ratio by 15 %; alternating the two and taking medians keeps a
    neighbour's burst from deciding it.
    """
    ones, twos = [], []
    for _ in range(rounds):
        ones.append(throughput(fn, 1, seconds))
        twos.append(throughput(fn, 2, seconds))
    return statistics.median(ones), statistics.median(twos)


def cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    print(f"CPU: {cpu_name()}, {os.cpu_count()} cores; median of {RUNS} runs each")
    rows = []
    for m, t, p in [(19456, 2, 1), (65536, 3, 4)]:
        cffi = argon2.PasswordHasher(time_cost=t, memory_cost=m, parallelism=p)
        ours = tillit.PasswordHasher(memory_kib=m, time_cost=t, parallelism=p)
        cffi_s = median_seconds(lambda: cffi.hash(PASSWORD))
        py_s = median_seconds(lambda: ours.hash(PASSWORD))
        rust_s = rust_median(m, t, p)
        row = {"params": f"m={m},t={t},p={p}", "argon2-cffi": cffi_s, "tillit (Python)": py_s,
               "tillit (Rust)": rust_s}
        if p == 1:
            row["PyNaCl"] = median_seconds(
                lambda: nacl.pwhash.argon2id.str(PASSWORD.encode(), opslimit=t,
                                                 memlimit=m * 1024))
        rows.append(row)
        print(f"\n{row['params']}")
        for name, value in row.items():
            if name != "params":
                print(f"  {name:16} {value * 1000:8.2f} ms   {value / cffi_s:5.2f}x argon2-cffi")

    owasp = tillit.PasswordHasher(memory_kib=19456, time_cost=2, parallelism=1)
    one, two = scaling(lambda: owasp.hash(PASSWORD))
    print(f"\nPython threads hashing at OWASP parameters: 1 thread {one:.1f}/s, "
          f"2 threads {two:.1f}/s, scaling {two / one:.2f}x")

    targets = [
        ("Rust, OWASP", rows[0]["tillit (Rust)"] / rows[0]["argon2-cffi"], 0.70),
        ("Python, OWASP", rows[0]["tillit (Python)"] / rows[0]["argon2-cffi"], 0.75),
        ("Rust, RFC 9106 second (p=4)", rows[1]["tillit (Rust)"] / rows[1]["argon2-cffi"], 0.55),
    ]
    print("\ntarget                          ratio   goal    result")
    for name, ratio, goal in targets:
        print(f"  {name:30} {ratio:5.2f}  <= {goal:4.2f}  {'met' if ratio <= goal else 'missed'}")
    scaling_met = two / one >= 1.8
    print(f"  {'two Python threads':30} {two / one:5.2f}  >= 1.80  "
          f"{'met' if scaling_met else 'missed'}")


if __name__ == "__main__":
    main()
