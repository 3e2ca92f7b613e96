"""The index survives being killed mid-write, and concurrent writers and readers.

Every test runs the real command line in separate processes against one SQLite file.
"""

from __future__ import annotations

import json
import multiprocessing
import random
import signal
import sqlite3
import subprocess
import sys
import time
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from pathlib import Path

from provenance.index import SqliteIndex
from provenance.indexing import BATCH

WORDS = 80  # per source: short, so that a test fingerprints thousands in seconds


def write_corpus(path: Path, count: int, prefix: str, seed: int) -> Path:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = ["".join(rng.choices(letters, k=rng.randint(3, 9))) for _ in range(5000)]
    with path.open("w", encoding="utf-8") as file:
        for i in range(count):
            text = " ".join(rng.choices(vocabulary, k=WORDS))
            file.write(json.dumps({"id": f"{prefix}{i}", "publisher": "rferl", "text": text}))
            file.write("\n")
    return path


def provenance(*args: str | Path, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "provenance", *map(str, args)],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(process: subprocess.Popen[str], timeout: float = 300) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


LISTED = "rowid NOT IN (SELECT source FROM unlisted)"  # sources with their postings written


def stored(index: Path) -> int:
    """Sources in the index, read the way any other reader would, while writers write."""
    if not index.exists():
        return 0
    db = sqlite3.connect(index, timeout=60)
    try:
        return int(db.execute(f"SELECT count(*) FROM sources WHERE {LISTED}").fetchone()[0])
    except sqlite3.OperationalError:  # the writer has not created the tables yet
        return 0
    finally:
        db.close()


def check(index: Path, cwd: Path) -> tuple[int, str]:
    code, out, err = finished(provenance("index", "check", "--index", index, cwd=cwd))
    return code, out + err


def processes_of(corpus: Path) -> list[int]:
    """The processes whose command line names ``corpus``."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(corpus).encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except OSError:  # gone meanwhile
            pass
    return found


def test_kill_9_while_adding_leaves_a_clean_index_of_whole_batches(tmp_path: Path) -> None:
    total = 60_000  # enough that the writer is still at work when it is killed
    corpus = write_corpus(tmp_path / "corpus.jsonl", total, "s", seed=1)
    index = tmp_path / "index.sqlite"
    writer = provenance("index", "add", corpus, "--index", index, "--no-progress", cwd=tmp_path)
    deadline = time.monotonic() + 120
    while stored(index) < 2 * BATCH and writer.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(random.uniform(0, 0.3))  # land anywhere: fingerprinting, or inside a write
    assert writer.poll() is None, "the writer finished before it could be killed"
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    # Its worker processes, left without a word, see it gone and leave too.
    deadline = time.monotonic() + 10
    while processes_of(corpus) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert processes_of(corpus) == []

    code, output = check(index, tmp_path)
    assert code == 0, output
    assert "OK" in output
    count = stored(index)
    assert 2 * BATCH <= count < total
    assert count % BATCH == 0  # whole batches only
    db = sqlite3.connect(index)
    (expected,) = db.execute(f"SELECT sum(length(keys)) / 8 FROM sources WHERE {LISTED}").fetchone()
    (postings,) = db.execute("SELECT sum(length(keys)) / 8 FROM postings").fetchone()
    db.close()
    assert postings == expected  # every source listed has its band keys, no more

    # The next run takes over: what was stored is not fingerprinted again. (On the first
    # ``count`` sources and a batch more, to keep the test short.)
    lines = corpus.read_text().splitlines(keepends=True)
    corpus.write_text("".join(lines[: count + BATCH]))
    code, out, err = finished(
        provenance("index", "add", corpus, "--index", index, "--no-progress", cwd=tmp_path)
    )
    assert code == 0, err
    assert f"{BATCH} added, 0 updated, {count} unchanged" in out
    assert check(index, tmp_path)[0] == 0


def test_concurrent_writers_and_readers_neither_corrupt_nor_fail(tmp_path: Path) -> None:
    per_writer = 3000
    corpora = [
        write_corpus(tmp_path / f"{p}.jsonl", per_writer, p, seed=i) for i, p in enumerate("ab")
    ]
    index = tmp_path / "index.sqlite"
    target = tmp_path / "post.txt"
    target.write_text(json.loads(corpora[0].read_text().splitlines()[5])["text"] + "\n")
    writers = [
        provenance("index", "add", corpus, "--index", index, "--no-progress", cwd=tmp_path)
        for corpus in corpora
    ]
    readers = []
    while any(w.poll() is None for w in writers):
        if stored(index):
            readers.append(
                finished(
                    provenance("audit", target, "--index", index, "--no-progress", cwd=tmp_path)
                )
            )
            readers.append(finished(provenance("index", "stats", "--index", index, cwd=tmp_path)))
        else:
            time.sleep(0.05)
    results = [finished(w) for w in writers]

    for code, out, err in results:
        assert code == 0, err
        assert f"{per_writer} added" in out
        assert "locked" not in err
    assert len(readers) >= 2, "no reader ran while the writers wrote"
    for code, _, err in readers:
        assert code in (0, 1), err  # findings or none; never a failure
        assert "locked" not in err
    assert stored(index) == 2 * per_writer
    code, output = check(index, tmp_path)
    assert code == 0, output
    # Once both are in, the audit finds the copy it holds.
    code, out, err = finished(
        provenance("audit", target, "--index", index, "--format", "json", cwd=tmp_path)
    )
    assert [m["source_id"] for m in json.loads(out)["documents"][0]["matches"]] == ["a5"]


def test_check_reports_a_damaged_file_lost_band_keys_and_a_foreign_database(
    tmp_path: Path,
) -> None:
    corpus = write_corpus(tmp_path / "corpus.jsonl", 50, "s", seed=3)
    index = tmp_path / "index.sqlite"
    assert finished(provenance("index", "add", corpus, "--index", index, cwd=tmp_path))[0] == 0
    assert check(index, tmp_path) == (0, f"{index}: OK (50 sources)\n")

    lost = tmp_path / "lost.sqlite"
    lost.write_bytes(index.read_bytes())
    db = sqlite3.connect(lost)
    s7, s7_keys = db.execute(
        "SELECT rowid, length(keys) / 8 FROM sources WHERE id = 's7'"
    ).fetchone()
    db.execute("DELETE FROM sources WHERE id = 's7'")  # its band keys stay behind
    # A block of postings lost: one with none of s7's, so that the two counts stay apart.
    prefix, block = next(
        (prefix, keys)
        for prefix, keys, sources in db.execute("SELECT prefix, keys, sources FROM postings")
        if s7 not in memoryview(sources).cast("q")
    )
    db.execute("DELETE FROM postings WHERE prefix = ?", (prefix,))
    db.commit()
    db.close()
    code, output = check(lost, tmp_path)
    assert code == 1
    assert f"{s7_keys} band keys belong to no source" in output
    assert f"{len(block) // 8} band keys of indexed sources are missing" in output
    assert "holds" in output  # the run no longer holds the postings it records

    damaged = tmp_path / "damaged.sqlite"
    data = bytearray(index.read_bytes())
    page = int.from_bytes(data[16:18], "big")  # the page size, from the file's header
    data[page : 2 * page] = random.Random(0).randbytes(page)  # its second page overwritten
    damaged.write_bytes(bytes(data))
    code, output = check(damaged, tmp_path)
    assert code == 1
    assert "problem" in output

    foreign = tmp_path / "other.sqlite"
    db = sqlite3.connect(foreign)
    db.execute("CREATE TABLE notes (text TEXT)")
    db.commit()
    db.close()
    before = foreign.read_bytes()
    code, output = check(foreign, tmp_path)
    assert code == 1
    assert "not a usable provenance index" in output
    assert foreign.read_bytes() == before  # checking never writes

    code, output = check(tmp_path / "missing.sqlite", tmp_path)
    assert code == 2
    assert "no index at" in output


def _open_when_all_are_ready(path: Path, ready: Barrier, failures: Queue) -> None:
    ready.wait()
    try:
        SqliteIndex(path).close()
    except Exception as error:  # reported to the test, which fails with it
        failures.put(repr(error))


def test_processes_creating_one_index_at_once_all_open_it(tmp_path: Path) -> None:
    """Switching a new file to WAL mode does not wait for another process doing the same:
    without a retry, about one race in two failed with "database is locked"."""
    context = multiprocessing.get_context("fork")
    failures: Queue = context.Queue()
    for attempt in range(20):
        ready = context.Barrier(3)
        path = tmp_path / f"{attempt}.sqlite"
        openers = [
            context.Process(target=_open_when_all_are_ready, args=(path, ready, failures))
            for _ in range(3)
        ]
        for opener in openers:
            opener.start()
        for opener in openers:
            opener.join()
        assert all(opener.exitcode == 0 for opener in openers)
    assert failures.empty(), failures.get()
