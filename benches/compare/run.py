"""Runs every side-by-side comparison and writes docs/BENCHMARKS.md and docs/benchmarks.svg.

Run through ``scripts/bench`` (``--quick`` for the short mode), which first builds the
release extension and runs the criterion benches whose figures this script reads from
``target/criterion``. Every figure is a median of repeated runs; every comparison is a ratio
of two figures measured in the same run on the same machine, so a slower machine moves the
figures but not the verdicts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Callable
from dataclasses import dataclass, field

import tillit

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benches" / "compare"))
sys.path.insert(0, str(ROOT / "bindings" / "python" / "benches"))

import passwords  # noqa: E402  (the argon2 comparison lives beside this file)
from chart import write_svg  # noqa: E402

TARGET = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))


@dataclass
class Target:
    """One promise from the capability docs: `ratio` against `goal` in `direction`."""

    name: str
    ratio: float
    goal: float
    direction: str  # "<=" (at most goal) or ">=" (at least goal)
    peer: str

    @property
    def met(self) -> bool:
        return self.ratio <= self.goal if self.direction == "<=" else self.ratio >= self.goal


@dataclass
class Section:
    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def median_time(fn: Callable[[], object], runs: int, number: int = 1) -> float:
    """Median seconds per call over `runs` repetitions of `number` calls each."""
    fn()
    return statistics.median(timeit.repeat(fn, number=number, repeat=runs)) / number


def criterion() -> dict[str, float]:
    """Median nanoseconds of every criterion benchmark, by its full id."""
    out: dict[str, float] = {}
    for meta in (TARGET / "criterion").glob("**/new/benchmark.json"):
        estimates = meta.parent / "estimates.json"
        if not estimates.is_file():
            continue
        full_id = json.loads(meta.read_text())["full_id"]
        out[full_id] = json.loads(estimates.read_text())["median"]["point_estimate"]
    return out


def ns(value: float) -> str:
    if value >= 1e9:
        return f"{value / 1e9:.2f} s"
    if value >= 1e6:
        return f"{value / 1e6:.2f} ms"
    if value >= 1e3:
        return f"{value / 1e3:.2f} µs"
    return f"{value:.0f} ns"


def cpu_name() -> str:
    return passwords.cpu_name()


# --- passwords ----------------------------------------------------------------------------


def last_level_cache_mib() -> int | None:
    """The size of the CPU's last-level cache in MiB, where Linux reports it."""
    caches = sorted(pathlib.Path("/sys/devices/system/cpu/cpu0/cache").glob("index*"))
    for index in reversed(caches):
        try:
            size = (index / "size").read_text(encoding="utf-8").strip()
        except OSError:
            continue
        if size.endswith("K") and size[:-1].isdigit():
            return int(size[:-1]) // 1024
    return None


def section_passwords(quick: bool, crit: dict[str, float]) -> Section:
    import argon2
    import nacl.pwhash

    runs = 5 if quick else 15
    rounds = 1 if quick else 3
    s = Section("Passwords: argon2id")
    pw = passwords.PASSWORD
    figures = {}
    for m, t, p in [(19456, 2, 1), (65536, 3, 4)]:
        cffi = argon2.PasswordHasher(time_cost=t, memory_cost=m, parallelism=p)
        ours = tillit.PasswordHasher(memory_kib=m, time_cost=t, parallelism=p)
        stored_cffi = cffi.hash(pw)
        stored_ours = ours.hash(pw)
        measures: dict[str, Callable[[], float]] = {
            "argon2-cffi hash": lambda: median_time(lambda: cffi.hash(pw), runs),
            "argon2-cffi verify": lambda: median_time(lambda: cffi.verify(stored_cffi, pw), runs),
            "tillit (Python) hash": lambda: median_time(lambda: ours.hash(pw), runs),
            "tillit (Python) verify": lambda: median_time(lambda: ours.verify(pw, stored_ours),
                                                          runs),
            "tillit (Rust) hash": lambda: passwords.rust_median(m, t, p, runs),
        }
        if p == 1:
            measures["PyNaCl (libsodium) hash"] = lambda: median_time(
                lambda: nacl.pwhash.argon2id.str(pw.encode(), opslimit=t, memlimit=m * 1024), runs)
        # Every implementation is measured once per round, in turn, and each figure is the
        # median of its rounds, so a neighbour's burst lands on all of them alike.
        samples: dict[str, list[float]] = {name: [] for name in measures}
        for _ in range(rounds):
            for name, measure in measures.items():
                samples[name].append(measure())
        f = {name: statistics.median(values) for name, values in samples.items()}
        figures[(m, t, p)] = f
        label = "OWASP m=19456 t=2 p=1" if p == 1 else "RFC 9106 second m=65536 t=3 p=4"
        for name, value in f.items():
            s.rows.append((f"{label}: {name}", ns(value * 1e9)))

    owasp = figures[(19456, 2, 1)]
    rfc = figures[(65536, 3, 4)]
    s.targets += [
        Target("Rust hash, OWASP", owasp["tillit (Rust) hash"] / owasp["argon2-cffi hash"], 0.70,
               "<=", "argon2-cffi"),
        Target("Python hash, OWASP", owasp["tillit (Python) hash"] / owasp["argon2-cffi hash"],
               0.75, "<=", "argon2-cffi"),
        Target("Rust hash, RFC 9106 p=4", rfc["tillit (Rust) hash"] / rfc["argon2-cffi hash"],
               0.55, "<=", "argon2-cffi"),
    ]

    seconds = 2.0 if quick else 4.0
    ours = tillit.PasswordHasher(memory_kib=19456, time_cost=2, parallelism=1)
    cffi = argon2.PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
    one, two = passwords.scaling(lambda: ours.hash(pw), seconds, rounds)
    cffi_one, cffi_two = passwords.scaling(lambda: cffi.hash(pw), seconds, rounds)
    s.rows += [
        ("tillit (Python) hashes/s, 1 thread", f"{one:.1f}"),
        ("tillit (Python) hashes/s, 2 threads", f"{two:.1f}"),
        ("argon2-cffi hashes/s, 1 thread", f"{cffi_one:.1f}"),
        ("argon2-cffi hashes/s, 2 threads", f"{cffi_two:.1f}"),
    ]
    # The same scaling with working memory small enough that two hashes' blocks fit the
    # last-level cache together, which tells a cache limit apart from a limit in tillit.
    small = tillit.PasswordHasher(memory_kib=8192, time_cost=2, parallelism=1)
    small_one, small_two = passwords.scaling(lambda: small.hash(pw), seconds, rounds)
    s.rows.append(("tillit (Python) 2 threads vs 1 at m=8192 KiB",
                   f"{small_two / small_one:.2f}x"))
    s.targets.append(Target("Python, 2 threads vs 1", two / one, 1.8, ">=",
                            f"itself with one thread (argon2-cffi: {cffi_two / cffi_one:.2f}x)"))
    unknown = crit.get("password/verify_unknown_user_owasp")
    verify = crit.get("password/verify_owasp")
    if unknown and verify:
        s.rows.append(("Rust verify_unknown_user / verify (the enumeration guard)",
                       f"{unknown / verify:.2f}x"))
    s.notes.append(
        "The floor for argon2 is memory bandwidth and the BLAKE2b compression function: "
        "a perf profile of the Rust hash shows about 83 % of the time in RustCrypto argon2's "
        "AVX2 compression and about 6 % in wiping the working memory; the page faults of a "
        "fresh allocation per hash are gone because the memory budget keeps its buffers, and "
        "those buffers are advised onto 2 MiB pages, which spares the TLB misses of argon2's "
        "data-dependent reads (8 to 11 % of the CPU time of an OWASP hash). argon2-cffi and "
        "libsodium allocate and fault in fresh 4 KiB pages on every call.")
    s.notes.append(
        f"Hash and verify times are medians of {rounds} rounds that measure every "
        f"implementation in turn, {runs} calls each. "
        f"Hashes per second are medians of {rounds} alternating one-thread and two-thread "
        f"rounds of {seconds:.0f} s each.")
    cache = last_level_cache_mib()
    if cache is not None and 19 < cache < 38:
        s.notes.append(
            f"This machine's {cache} MiB last-level cache holds one OWASP hash's 19 MiB of "
            "blocks but not two, so two threads hashing at once also wait on main memory, "
            "and tillit, whose hash spends less time computing, feels that more than "
            "argon2-cffi; the m=8192 KiB row, where both working sets fit, shows "
            "the scaling without that limit.")
    return s


# --- reset tokens -------------------------------------------------------------------------


def section_tokens(quick: bool, crit: dict[str, float]) -> Section:
    s = Section("Reset tokens")
    floor = crit.get("os_random_32_bytes")
    life = crit.get("token_issue_peek_consume_memory")
    flow = crit.get("flow_request_peek_consume_memory")
    sqlite = crit.get("sqlite/consume")
    for name, value in [("Rust: one 32-byte OS random call (the floor)", floor),
                        ("Rust: issue + peek + consume, memory store", life),
                        ("Rust: request + peek + consume (whole flow), memory store", flow)]:
        if value:
            s.rows.append((name, ns(value)))
    if sqlite:
        s.rows.append(("Rust: SQLite consumes per second", f"{1e9 / sqlite:,.0f}"))

    reset = tillit.PasswordReset(tillit.MemoryTokenStore(), b"k" * 32, "https://example.no/reset",
                                 max_per_email=1_000_000_000, max_per_requester=1_000_000_000)
    stored = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$" + "A" * 43
    clock = [1_000_000]

    def one_flow() -> None:
        # As in the Rust bench: request events are purged every 1000 flows, as a service's
        # periodic purge keeps them.
        clock[0] += 1
        now = clock[0]
        if now % 1000 == 0:
            reset.purge(now + 3600)
        mail = reset.request("kari@example.no", "a", stored, "ip", now).mail
        reset.peek(mail.token, stored, now)
        reset.consume(mail.token, stored, now)

    n = 2_000 if quick else 20_000
    py_flow = median_time(one_flow, 5, n // 5)
    py_random = median_time(lambda: os.urandom(32), 5, 10_000)
    s.rows.append(("Python: request + peek + consume (whole flow), memory store",
                   ns(py_flow * 1e9)))
    s.rows.append(("Python: os.urandom(32)", ns(py_random * 1e9)))
    if floor and life:
        s.targets.append(Target("Rust issue + peek + consume vs one random call", life / floor,
                                4.0, "<=", "32-byte OS random"))
    if flow:
        s.targets.append(Target("Python whole flow vs Rust whole flow", py_flow * 1e9 / flow,
                                3.0, "<=", "the same flow from Rust"))
    known = crit.get("request_known_vs_unknown/known")
    unknown = crit.get("request_known_vs_unknown/unknown")
    if known and unknown:
        s.rows.append(("Rust request: unknown / known address (should be about 1)",
                       f"{unknown / known:.3f}x"))
    return s


# --- retention ----------------------------------------------------------------------------


def section_retention(quick: bool, crit: dict[str, float]) -> Section:
    import numpy as np

    import retention_bench

    s = Section("Retention planner")
    floor = crit.get("retention/memory floor: read the same columns")
    planner = crit.get("retention/planner")
    if floor and planner:
        s.rows.append(("Rust: planner, records/s", f"{1e15 / planner:,.0f}"))
        s.rows.append(("Rust: loop that only reads the same columns, records/s",
                       f"{1e15 / floor:,.0f}"))
        s.targets.append(Target("Rust planner vs reading the records", planner / floor, 3.0, "<=",
                                "memory floor"))
    reused = crit.get("retention/planner into reused columns")
    if floor and reused:
        s.rows.append(("Rust: planner into reused columns (plan_into), records/s",
                       f"{1e15 / reused:,.0f}"))
        s.rows.append(("Rust: planner into reused columns / reading the records",
                       f"{reused / floor:.2f}x"))
    s.notes.append("The floor is a loop that reads the same columns and sums them. The planner "
                   "also looks each record's month and period end up in precomputed tables, "
                   "keeps each account's latest invoice date, and writes its output columns, "
                   "which is more memory traffic than the reading alone; `plan` allocates its "
                   "output on every call, `plan_into` writes into columns the caller keeps.")

    rows = 200_000 if quick else 1_000_000
    rng = np.random.default_rng(20261203)
    days = rng.integers(12784, 12784 + 8000, size=rows).astype("datetime64[D]")
    records = {"kind": np.zeros(rows, dtype=np.uint8), "date": days,
               "account": np.zeros(rows, dtype=np.uint32)}
    accounts = {"active": np.ones(1, dtype=np.uint8),
                "last_activity": np.array(["2026-01-01"], dtype="datetime64[D]")}
    today = dt.date(2026, 12, 3)
    seed = tillit.RetentionPolicy.seed()
    sample = min(rows, 20_000 if quick else 100_000)
    objects = days[:sample].astype(dt.date).tolist()
    columnar = median_time(lambda: seed.plan(records, accounts, today), 3) / rows
    per_object = median_time(lambda: [seed.invoice(x, today) for x in objects], 3) / sample
    plain = median_time(lambda: retention_bench.plain_python(objects, today), 3) / sample
    s.rows += [
        ("Python columnar (NumPy datetime64[D]), records/s", f"{1 / columnar:,.0f}"),
        ("Python per object, records/s", f"{1 / per_object:,.0f}"),
        ("pure Python with dateutil.relativedelta, records/s", f"{1 / plain:,.0f}"),
    ]
    s.targets += [
        Target("Python columnar vs per object", per_object / columnar, 20.0, ">=",
               "tillit per-object calls"),
        Target("Python columnar vs pure Python + dateutil", plain / columnar, 100.0, ">=",
               "dateutil"),
    ]
    return s


# --- invoices -----------------------------------------------------------------------------


def section_invoices(quick: bool, crit: dict[str, float]) -> Section:
    import bench_invoice

    s = Section("Invoices: check digits and totals")
    runs = 3 if quick else 7
    orgs, accounts = bench_invoice.ORGS, bench_invoice.ACCOUNTS
    n_ids = len(orgs) + len(accounts)
    ours = median_time(lambda: bench_invoice.tillit_check(orgs, accounts), runs)
    one_by_one = median_time(lambda: bench_invoice.tillit_check_one_by_one(orgs, accounts), runs)
    stdnum = median_time(lambda: bench_invoice.stdnum_check(orgs, accounts), runs)
    s.rows += [
        (f"tillit bulk (are_valid), {n_ids:,} identifiers", ns(ours * 1e9)),
        (f"tillit one object each, {n_ids:,} identifiers", ns(one_by_one * 1e9)),
        (f"python-stdnum, {n_ids:,} identifiers", ns(stdnum * 1e9)),
    ]
    s.targets.append(Target("Python bulk check digits vs python-stdnum", stdnum / ours, 10.0,
                            ">=", "python-stdnum"))

    data = bench_invoice.lines_data()
    invoice = bench_invoice.tillit_invoice(data)

    def tillit_totals() -> None:
        # The plain side returns its figures as Decimal objects, so this side reads the same
        # three figures out of the totals (each one a conversion to decimal.Decimal).
        totals = invoice.totals()
        (totals.line_extension, totals.vat_total, totals.tax_inclusive)
        invoice.problems()

    ours_totals = median_time(tillit_totals, runs, 200)
    plain = median_time(lambda: bench_invoice.plain_decimal_totals(data), runs, 200)
    s.rows += [
        ("tillit totals + validation, 100 lines", ns(ours_totals * 1e9)),
        ("plain Python decimal totals + validation, 100 lines", ns(plain * 1e9)),
    ]
    s.targets.append(Target("Python 100-line totals + validation vs plain decimal",
                            plain / ours_totals, 5.0, ">=", "decimal"))
    for key, label in [("totals_100_lines", "Rust: totals, 100 lines"),
                       ("validate_100_lines", "Rust: validation, 100 lines"),
                       ("org_number_parse", "Rust: one organisation number")]:
        if key in crit:
            s.rows.append((label, ns(crit[key])))
    return s


# --- EHF ----------------------------------------------------------------------------------


def section_ehf(quick: bool, crit: dict[str, float]) -> Section:
    s = Section("EHF writing and reading")
    for case in ["01-basic-nok", "24-many-lines"]:
        write = crit.get(f"ehf/{case}/write_ubl")
        json_ = crit.get(f"ehf/{case}/serde_json")
        read = crit.get(f"ehf/{case}/read_ubl")
        if write and json_:
            s.rows += [(f"Rust {case}: write UBL", ns(write)),
                       (f"Rust {case}: serde_json of the same invoice", ns(json_))]
            s.targets.append(Target(f"UBL writing vs serde_json ({case})", write / json_, 3.0,
                                    "<=", "serde_json"))
        if read:
            s.rows.append((f"Rust {case}: read UBL", ns(read)))
    return s


# --- backups ------------------------------------------------------------------------------


def peak_rss_kib(cmd: list[str]) -> tuple[int, str]:
    """Runs `cmd` under /usr/bin/time -v when available and returns (max RSS KiB, stdout)."""
    timer = pathlib.Path("/usr/bin/time")
    if timer.is_file():
        done = subprocess.run([str(timer), "-v", *cmd], capture_output=True, text=True, check=True)
        for line in done.stderr.splitlines():
            if "Maximum resident set size" in line:
                return int(line.rsplit(":", 1)[1]), done.stdout
    import resource

    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.stdout


def section_backups(quick: bool, crit: dict[str, float], mib: int) -> Section:
    s = Section("Sealed backups")
    for algorithm in ["AES-256-GCM", "ChaCha20-Poly1305"]:
        figures = {name: crit.get(f"backup/{algorithm}/{name}")
                   for name in ["raw_seal", "raw_seal_with_copy", "seal", "seal_one_thread",
                                "raw_open", "raw_open_with_copy", "open", "open_one_thread"]}
        for name, value in figures.items():
            if value:
                s.rows.append((f"Rust {algorithm} {name}, {mib} MiB",
                               f"{mib * 1048576 / value:.2f} GB/s"))
        for op in ["seal", "open"]:
            ours, raw = figures.get(op), figures.get(f"raw_{op}")
            if ours and raw:
                s.targets.append(Target(f"{op} vs ring raw AEAD ({algorithm})", ours / raw, 1.15,
                                        "<=", "ring, in place"))
            single, copied = figures.get(f"{op}_one_thread"), figures.get(f"raw_{op}_with_copy")
            if single and raw:
                s.rows.append((f"{algorithm} {op} on one thread: time / ring in place",
                               f"{single / raw:.2f}x"))
            if single and copied:
                s.rows.append((f"{algorithm} {op} on one thread: time / (ring + one copy per "
                               "chunk)", f"{single / copied:.2f}x"))

    s.notes.append("ring's raw figures encrypt chunks already in memory, in place, on one "
                   "thread: the AEAD throughput floor. Sealing or opening a stream must also copy "
                   "each chunk out of the reader into tillit's buffer. `seal` and `open` (the "
                   "defaults, and the targets) do that copy and the writing on the calling "
                   "thread while a second thread runs the AEAD on the batch before, so their "
                   "wall time is ring's plus the hand-over, at the price of a second core "
                   "(about 40 % busy with the copy). The one-thread rows keep everything on the "
                   "calling thread, as `pipelined: false` does; against ring plus one copy per "
                   "chunk they show that the format itself adds almost nothing.")
    example = TARGET / "release" / "examples" / "backup_memory"
    scratch = TARGET / "bench-scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    sizes = [10, 256] if quick else [10, 1024]
    peaks = {}
    for size in sizes:
        peaks[size], _ = peak_rss_kib([str(example), str(size), str(scratch)])
        s.rows.append((f"peak memory sealing and opening {size} MiB through files",
                       f"{peaks[size] / 1024:.1f} MiB"))
    s.targets.append(Target(f"peak memory at {sizes[1]} MiB vs at 10 MiB", peaks[sizes[1]] / peaks[10],
                            1.10, "<=", "the same at 10 MiB"))

    try:
        import pyrage
    except ImportError:
        s.notes.append("pyrage (age) is not installed, so the comparison with age is missing.")
    else:
        data = os.urandom((16 if quick else 128) << 20)
        key = tillit.BackupKey.generate("bench")
        identity = pyrage.x25519.Identity.generate()
        ours = median_time(lambda: tillit.seal_backup_bytes(data, key), 3)
        age = median_time(lambda: pyrage.encrypt(data, [identity.to_public()]), 3)
        size = len(data) / 1048576
        s.rows += [(f"Python: tillit seal_backup_bytes, {size:.0f} MiB",
                    f"{len(data) / ours / 1e9:.2f} GB/s"),
                   (f"Python: age (pyrage) encrypt, {size:.0f} MiB",
                    f"{len(data) / age / 1e9:.2f} GB/s")]
        s.notes.append(f"age (through pyrage, the rage crate's Python binding) took "
                       f"{age / ours:.2f}x tillit's time to encrypt the same bytes; age uses "
                       "ChaCha20-Poly1305 only, tillit's default is AES-256-GCM on AES hardware.")
    return s


# --- FFI ----------------------------------------------------------------------------------


def section_ffi(quick: bool) -> Section:
    s = Section("FFI overhead of a trivial call")
    number = 100_000 if quick else 1_000_000

    def plain() -> str:
        return "0.1.0"

    py_ext = median_time(tillit.version, 5, number)
    py_plain = median_time(plain, 5, number)
    s.rows += [("Python: tillit.version() (extension call)", ns(py_ext * 1e9)),
               ("Python: a Python function returning a constant", ns(py_plain * 1e9))]
    s.notes.append(f"From Python an extension call costs {py_ext / py_plain:.2f}x a plain Python "
                   "function call.")
    c_bench = TARGET / "bench-scratch" / "ffi_call"
    if c_bench.is_file():
        out = subprocess.run([str(c_bench), str(number * 10)], capture_output=True, text=True,
                             check=True).stdout
        figures = json.loads(out)
        s.rows += [("C: tillit_status_name() through the static library",
                    ns(figures["tillit_ns"])),
                   ("C: a local function behind a function pointer", ns(figures["local_ns"]))]
    kotlin = TARGET / "bench-scratch" / "kotlin_ffi.json"
    if kotlin.is_file():
        figures = json.loads(kotlin.read_text())
        s.rows += [("Kotlin: no.tillit.version() through JNA", ns(figures["tillit_ns"])),
                   ("Kotlin: a local function", ns(figures["local_ns"]))]
    else:
        s.notes.append("The Kotlin figure is missing from this run: it needs the JVM benchmark "
                       "that `scripts/bench` runs after the Kotlin build.")
    return s


# --- the page -----------------------------------------------------------------------------


def write_page(sections: list[Section], quick: bool, elapsed: float) -> None:
    docs = ROOT / "docs"
    targets = [t for s in sections for t in s.targets]
    write_svg(docs / "benchmarks.svg", targets)
    lines = [
        "# Benchmarks",
        "",
        "tillit beside what a service would use instead, measured side by side in one run.",
        "Every figure is a median of repeated runs and every verdict is a ratio of two figures",
        "from the same run, so the verdicts hold on a slower or busier machine even where the",
        "figures do not. Regenerate this page with `scripts/bench` (about 25 minutes) or",
        "`scripts/bench --quick` (about 5 minutes, smaller inputs and fewer repetitions).",
        "",
        f"- Machine: {cpu_name()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}",
        f"- Mode: {'quick' if quick else 'full'}; run on {dt.date.today().isoformat()}, "
        f"taking {elapsed / 60:.1f} minutes",
        "",
        "![Each target as a ratio against its goal](benchmarks.svg)",
        "",
        "## Targets",
        "",
        "| Target | Ratio | Goal | Against | Verdict |",
        "|---|---:|---:|---|---|",
    ]
    for t in targets:
        verdict = "met" if t.met else "**missed**"
        lines.append(f"| {t.name} | {t.ratio:.2f}x | {t.direction} {t.goal:g}x | {t.peer} | "
                     f"{verdict} |")
    for s in sections:
        lines += ["", f"## {s.title}", "", "| Measurement | Median |", "|---|---:|"]
        lines += [f"| {name} | {value} |" for name, value in s.rows]
        if s.notes:
            lines.append("")
            lines += [note for n in s.notes for note in (n, "")][:-1]
    (docs / "BENCHMARKS.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="shorter measurements and smaller inputs")
    parser.add_argument("--backup-mib", type=int, default=64)
    parser.add_argument("--only", default="",
                        help="comma-separated sections to run (passwords, tokens, retention, "
                             "invoices, ehf, backups, ffi), for example --only retention,invoices; "
                             "the figures are printed and docs/BENCHMARKS.md is left alone")
    args = parser.parse_args()
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    started = time.perf_counter()
    crit = criterion()
    sections = []
    for name, run in [
        ("passwords", lambda: section_passwords(args.quick, crit)),
        ("tokens", lambda: section_tokens(args.quick, crit)),
        ("retention", lambda: section_retention(args.quick, crit)),
        ("invoices", lambda: section_invoices(args.quick, crit)),
        ("ehf", lambda: section_ehf(args.quick, crit)),
        ("backups", lambda: section_backups(args.quick, crit, args.backup_mib)),
        ("ffi", lambda: section_ffi(args.quick)),
    ]:
        if only and name not in only:
            continue
        print(f"==> {name}", flush=True)
        section = run()
        for label, value in section.rows:
            print(f"  {label:70} {value}")
        for t in section.targets:
            print(f"  target: {t.name:55} {t.ratio:6.2f}x {t.direction} {t.goal:g}x  "
                  f"{'met' if t.met else 'MISSED'}")
        sections.append(section)
    if only:
        return
    elapsed = time.perf_counter() - started + float(os.environ.get("TILLIT_BENCH_PREP_SECONDS", 0))
    write_page(sections, args.quick, elapsed)
    print(f"wrote docs/BENCHMARKS.md and docs/benchmarks.svg in {elapsed / 60:.1f} minutes")


if __name__ == "__main__":
    main()
