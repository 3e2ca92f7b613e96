"""The embedded SQLite index at scale: a million news-sized sources.

Builds (or reuses, with the same --work folder) a synthetic corpus made by `corpus.py` and its
index with the real command line, then measures:

* build: wall time, sources per second, MB of text per second, peak memory, file size;
* candidate lookup latency, p50 and p99, over texts that copy an indexed source and texts that
  copy none (the index query alone, and with fingerprinting the text);
* peak memory of `provenance audit` on a few hundred articles against the whole index;
* adding 1,000 new sources to the full index.

    python benchmarks/index_scale.py --work /var/tmp/scale              # 1,000,000 sources
    python benchmarks/index_scale.py --sources 100000 --work /tmp/scale
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from provenance.fingerprint import fingerprints
from provenance.index import SqliteIndex

HERE = Path(__file__).resolve().parent


def run(command: list[str | Path]) -> tuple[float, float]:
    """Wall seconds and peak memory (MB) of one process; it must succeed."""
    started = time.perf_counter()
    process = subprocess.Popen([str(part) for part in command], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # audit: 1 when it finds something
        raise SystemExit(f"failed: {command}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def corpus(kind: str, count: int, out: Path, *extra: str | Path) -> Path:
    if not out.exists():
        run([sys.executable, HERE / "corpus.py", kind, str(count), out, *extra])
    return out


def percentile(values: list[float], share: float) -> float:
    return float(np.percentile(values, share)) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=2000, help="texts looked up")
    parser.add_argument("--audited", type=int, default=300, help="articles audited")
    parser.add_argument("--work", type=Path, required=True, help="folder for corpus and index")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    sources = corpus("sources", args.sources, args.work / f"sources-{args.sources}.jsonl")
    index = args.work / f"index-{args.sources}.sqlite"
    text_mb = sources.stat().st_size / 1e6
    rows = []

    if not index.exists():
        seconds, peak = run(["provenance", "index", "add", sources, "--index", index,
                             "--no-progress"])  # fmt: skip
        rows += [
            ("build: wall time", f"{seconds:.0f} s"),
            ("build: sources per second", f"{args.sources / seconds:,.0f}"),
            ("build: MB of JSON Lines per second", f"{text_mb / seconds:.1f}"),
            ("build: peak memory", f"{peak:.0f} MB"),
        ]
    rows.append(("index file", f"{index.stat().st_size / 1e9:.2f} GB"))

    # Lookups: half the texts copy a passage of an indexed source, half are new articles.
    rng = random.Random(1)
    picked = sorted(rng.sample(range(args.sources), args.queries // 2))
    copies = []
    with sources.open(encoding="utf-8") as lines:
        wanted = iter(picked)
        target = next(wanted, None)
        for number, line in enumerate(lines):
            if number == target:
                words = json.loads(line)["text"].split()
                start = rng.randrange(max(len(words) - 150, 1))
                copies.append(" ".join(words[start : start + 150]))
                target = next(wanted, None)
    fresh = corpus("sources", args.queries // 2, args.work / "fresh.jsonl", "--seed", "99")
    texts = copies + [json.loads(line)["text"] for line in fresh.open(encoding="utf-8")]
    lookups, totals, found = [], [], 0
    with SqliteIndex(index, create=False) as opened:
        for text in texts:
            started = time.perf_counter()
            keys = fingerprints([text])[0].band_keys
            middle = time.perf_counter()
            hits = opened.candidates(keys)
            ended = time.perf_counter()
            lookups.append(ended - middle)
            totals.append(ended - started)
            found += bool(hits)
    rows += [
        ("lookup: p50 (index query)", f"{percentile(lookups, 50):.2f} ms"),
        ("lookup: p99 (index query)", f"{percentile(lookups, 99):.2f} ms"),
        ("lookup: p50 (fingerprint + query)", f"{percentile(totals, 50):.2f} ms"),
        ("lookup: p99 (fingerprint + query)", f"{percentile(totals, 99):.2f} ms"),
    ]

    # An audit against the whole index: its peak memory.
    folder = args.work / "audited"
    corpus("targets", args.audited, folder, "--sources", fresh, "--copied", "0")
    seconds, peak = run(["provenance", "audit", folder, "--index", index, "--format", "json",
                         "--output", args.work / "audit.json", "--no-progress"])  # fmt: skip
    rows.append((f"audit of {args.audited} articles: peak memory", f"{peak:.0f} MB"))
    rows.append((f"audit of {args.audited} articles: wall time", f"{seconds:.1f} s"))

    # Adding 1,000 new sources to the full index.
    more = corpus("sources", 1000, args.work / "more.jsonl", "--first", str(args.sources),
                  "--seed", "7")  # fmt: skip
    seconds, _ = run(["provenance", "index", "add", more, "--index", index, "--no-progress"])
    rows.append(("adding 1,000 sources to it", f"{seconds:.1f} s"))

    print(f"\n### {args.sources:,} sources ({text_mb / 1000:.1f} GB of JSON Lines)\n")
    print("| measure | value |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    print(f"\n{found} of {len(texts)} looked-up texts had candidates "
          f"({len(copies)} copy an indexed source)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
