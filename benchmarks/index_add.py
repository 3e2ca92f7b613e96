"""Index building, whole process: `provenance index add corpus.jsonl` against peers' scripts.

Each contender runs as its own process, start-up, reading and (for provenance) writing the index
file included, on the same JSON Lines corpus of news-sized articles (made by `corpus.py` when
missing). Runs take turns, ``--repeat`` times each (provenance into a new index every time), and
the median is reported: on a shared machine single runs vary by a tenth of a second.

* provenance: `provenance index add CORPUS --index FILE` (both cores allowed);
* rensa: a plain script that builds rensa's in-memory `RMinHashLSH` (128 permutations, 16
  bands, word 5-gram shingles), nothing persisted;
* datasketch: the same with `MinHash.bulk` and `MinHashLSH`.

    python benchmarks/index_add.py                       # 10,000 articles
    python benchmarks/index_add.py --count 2000 --repeat 3 --work /tmp/bench
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

PEER = """
import json, sys
{setup}
lsh = {lsh}
for number, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    record = json.loads(line)
    words = record["text"].split()
    shingles = [" ".join(words[i : i + 5]) for i in range(max(len(words) - 4, 1))]
    {insert}
"""
PEERS = {
    "rensa (RMinHashLSH, in memory)": PEER.format(
        setup="from rensa import RMinHash, RMinHashLSH",
        lsh="RMinHashLSH(threshold=0.5, num_perm=128, num_bands=16)",
        insert="m = RMinHash(num_perm=128, seed=42); m.update(shingles); lsh.insert(number, m)",
    ),
    "datasketch (bulk + MinHashLSH, in memory)": PEER.format(
        setup="from datasketch import MinHash, MinHashLSH",
        lsh="MinHashLSH(threshold=0.5, num_perm=128)",
        insert="lsh.insert(number, MinHash.bulk([[s.encode() for s in shingles]], "
        "num_perm=128)[0])",
    ),
}


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one process; it must succeed."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"failed: {' '.join(command)}")
    return seconds, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="articles in the corpus")
    parser.add_argument("--work", type=Path, help="folder for the corpus (kept) and index")
    parser.add_argument("--bench", type=Path, default=Path("../shared/bench"))
    parser.add_argument("--repeat", type=int, default=5, help="runs of each contender")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="provenance-index-add-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / f"news-{args.count}.jsonl"
    if not corpus.exists():
        subprocess.run(
            [
                sys.executable,
                HERE / "corpus.py",
                "sources",
                str(args.count),
                corpus,
                "--bench",
                args.bench,
            ],
            check=True,
        )
    size = corpus.stat().st_size / 1e6
    index = work / "index.sqlite"
    provenance = [sys.executable, "-m", "provenance", "index", "add", str(corpus)]
    contenders = {
        "provenance index add (SQLite file written)": [
            *provenance,
            "--index",
            str(index),
            "--no-progress",
        ],
        **{name: [sys.executable, "-c", script, str(corpus)] for name, script in PEERS.items()},
    }
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in contenders}
    for _ in range(args.repeat):
        for name, command in contenders.items():
            for leftover in work.glob("index.sqlite*") if command[:3] == provenance[:3] else ():
                leftover.unlink()  # a new index every time
            runs[name].append(timed(command))
    rows = [
        (
            name,
            statistics.median(s for s, _ in times),
            max(m for _, m in times),
            min(s for s, _ in times),
            max(s for s, _ in times),
        )
        for name, times in runs.items()
    ]
    anchor = rows[1][1]
    print(
        f"\n{args.count:,} articles, {size:.1f} MB of JSON Lines; index file "
        f"{index.stat().st_size / 1e6:.0f} MB\n"
    )
    print(f"median of {args.repeat} runs each, taking turns\n")
    print("| whole process | seconds | fastest, slowest | MB/s | peak memory | time vs rensa |")
    print("|---|---|---|---|---|---|")
    for name, seconds, peak, fastest, slowest in rows:
        print(
            f"| {name} | {seconds:.2f} | {fastest:.2f}, {slowest:.2f} | {size / seconds:.1f} | "
            f"{peak:.0f} MB | {seconds / anchor:.2f} x |"
        )
    json.dump({name: seconds for name, seconds, *_ in rows}, sys.stderr)
    print(file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
