"""Gapless invoice number series from Python: numbers in order, refused issues giving their
number back, and no gap or repeat across threads and processes."""

import multiprocessing
import threading
from pathlib import Path

import pytest

import tillit

THREADS = 8
ISSUES_PER_THREAD = 40


class Refused(Exception):
    """What a test's issuing callback raises to refuse a number."""


@pytest.fixture(params=["memory", "sqlite"])
def series(request, tmp_path: Path):
    if request.param == "memory":
        return tillit.MemoryNumberSeries()
    return tillit.SqliteNumberSeries(tmp_path / "numbers.db")


def test_numbers_start_at_one_and_increase(series) -> None:
    assert [series.issue("invoice", lambda n: n) for _ in range(5)] == [1, 2, 3, 4, 5]
    assert series.issue("credit-note", lambda n: f"CN-{n}") == "CN-1"
    assert series.next_number("invoice") == 6


def test_a_raising_callback_gives_the_number_back(series) -> None:
    assert series.issue("invoice", lambda n: n) == 1
    seen = []

    def refuse(n: int) -> None:
        seen.append(n)
        raise Refused(f"invoice {n} failed validation")

    with pytest.raises(Refused, match="invoice 2 failed validation") as caught:
        series.issue("invoice", refuse)
    assert type(caught.value) is Refused
    assert seen == [2]
    assert series.next_number("invoice") == 2
    assert series.issue("invoice", lambda n: n) == 2


def test_next_number_does_not_take(series) -> None:
    assert series.next_number("invoice") == 1
    assert series.next_number("invoice") == 1
    assert series.issue("invoice", lambda n: n) == 1
    assert series.next_number("invoice") == 2
    assert series.next_number("invoice") == 2


@pytest.mark.parametrize("name", ["", "x" * 65])
def test_bad_series_names_raise(series, name: str) -> None:
    with pytest.raises(tillit.InvoiceError, match="invalid number series name"):
        series.next_number(name)
    called = []
    with pytest.raises(ValueError, match="use 1 to 64 characters"):
        series.issue(name, called.append)
    assert called == []


def test_sqlite_persists_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "numbers.db"
    first = tillit.SqliteNumberSeries(path)
    assert [first.issue("invoice", lambda n: n) for _ in range(3)] == [1, 2, 3]
    del first
    again = tillit.SqliteNumberSeries(str(path))
    assert again.next_number("invoice") == 4
    assert again.issue("invoice", lambda n: n) == 4


def test_sqlite_unopenable_path_raises_invoice_error(tmp_path: Path) -> None:
    with pytest.raises(tillit.InvoiceError, match="storage failed"):
        tillit.SqliteNumberSeries(tmp_path / "missing" / "numbers.db")


def test_threads_with_refusals_leave_no_gap_and_no_repeat(series) -> None:
    issued: list[int] = []
    refused: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def worker() -> None:
        barrier.wait()
        for i in range(ISSUES_PER_THREAD):

            def callback(n: int, refuse: bool = i % 5 == 4) -> int:
                if refuse:
                    with lock:
                        refused.append(n)
                    raise Refused(n)
                with lock:
                    issued.append(n)
                return n

            try:
                series.issue("invoice", callback)
            except Refused:
                pass

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    kept = THREADS * (ISSUES_PER_THREAD - ISSUES_PER_THREAD // 5)
    assert len(refused) == THREADS * (ISSUES_PER_THREAD // 5)
    assert sorted(issued) == list(range(1, kept + 1))
    assert series.next_number("invoice") == kept + 1


def _issue_in_process(path: str, count: int, queue) -> None:
    """Issues `count` numbers in a child process, refusing every fifth, and reports them."""
    series = tillit.SqliteNumberSeries(path)
    got = []
    for i in range(count):

        def callback(n: int, refuse: bool = i % 5 == 4) -> int:
            if refuse:
                raise Refused(n)
            return n

        try:
            got.append(series.issue("invoice", callback))
        except Refused:
            pass
    queue.put(got)


def test_two_processes_on_one_sqlite_file_leave_no_gap_and_no_repeat(tmp_path: Path) -> None:
    path = str(tmp_path / "numbers.db")
    tillit.SqliteNumberSeries(path)  # create the schema before the race
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    count = 60
    workers = [
        context.Process(target=_issue_in_process, args=(path, count, queue)) for _ in range(2)
    ]
    for w in workers:
        w.start()
    results = [queue.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=120)
        assert w.exitcode == 0

    issued = [n for got in results for n in got]
    kept = 2 * (count - count // 5)
    assert sorted(issued) == list(range(1, kept + 1))
    assert tillit.SqliteNumberSeries(path).next_number("invoice") == kept + 1
