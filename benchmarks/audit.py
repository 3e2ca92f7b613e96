"""Audit throughput: a synthetic news corpus audited by the real command line, on every core and
on one.

Builds (or, with ``--work DIR``, reuses) a corpus with ``corpus.py``: ``--sources`` articles
indexed with ``provenance index add``, and ``--targets`` Markdown files to audit, the
``--copied`` share of which republish a passage of a source (the whole article, its first
half, or 150 words embedded in fresh text). Then audits the targets twice with
``provenance audit --format json --output … --timings``: with ``--jobs`` processes (default:
one per processor) and with ``--jobs 1``, and prints side by side the time of every stage
(summed over the workers), the wall time, documents per second, the peak resident memory of
the largest process of the audit (its main process or one worker), and how many of the
planted copies were matched to the source they copy (recall), with any other match.

Which target copies which source is not written down by ``corpus.py``: it is replayed from the
seed, drawing exactly what ``corpus.py targets`` draws, and every planted copy is checked
against the files (its source's words must be in the target), so a replay out of step with
``corpus.py`` stops the benchmark instead of measuring nonsense.

    python benchmarks/audit.py                                   # 100,000 sources, 10,000 targets
    python benchmarks/audit.py --sources 2000 --targets 500 --work /tmp/audit-bench

Target at full size: the audit of 10,000 targets against 100,000 sources within 60 s of wall
time on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from provenance.parallel import cpus

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent.parent / "shared" / "bench"
TARGET_SECONDS = 60.0  # for the audit of the full-size corpus
_TIMING = re.compile(r"^  (\S.*?)\s+([\d.]+)$")  # a row of --timings: "  name   value"
# Runs a command and prints the peak resident size (KiB) of its largest process, the command's
# or one of the processes it waited for (RUSAGE_CHILDREN's maxrss: the largest, not the sum).
_MEASURE = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(code)"
)


@dataclass
class Run:
    jobs: int
    wall: float  # the audit command, start to exit, as seen from here
    stages: dict[str, float]  # --timings rows
    peak_mib: float
    found: dict[int, set[str]]  # target number -> the sources matched


def python_command(*args: object) -> list[str]:
    return [sys.executable, *map(str, args)]


def build_corpus(args: argparse.Namespace, work: Path) -> tuple[Path, Path, Path]:
    """The sources file, the targets folder and the index, made unless already there."""
    sources = work / f"sources-{args.sources}-{args.seed}.jsonl"
    targets = work / f"targets-{args.targets}-{args.copied}-{sources.stem}"
    index = work / f"index-{sources.stem}.sqlite"
    common = ["--seed", str(args.seed), "--bench", str(args.bench)]
    if not sources.exists():
        partial = sources.with_suffix(".partial")
        step(f"writing {args.sources:,} sources")
        corpus = python_command(HERE / "corpus.py", "sources", args.sources, partial, *common)
        subprocess.run(corpus, check=True)
        partial.rename(sources)
    done = targets / ".complete"
    if not done.exists():
        step(f"writing {args.targets:,} targets")
        corpus = python_command(HERE / "corpus.py", "targets", args.targets, targets, *common)
        subprocess.run(
            [*corpus, "--sources", str(sources), "--copied", str(args.copied)], check=True
        )
        done.touch()
    indexed = index.with_suffix(".complete")
    if not indexed.exists():
        step(f"indexing {args.sources:,} sources")
        started = time.perf_counter()
        add = ["-m", "provenance", "index", "add", sources, "--index", index, "--no-progress"]
        subprocess.run(python_command(*add), check=True, stdout=subprocess.DEVNULL)
        step(f"indexed in {time.perf_counter() - started:.1f} s")
        indexed.touch()
    return sources, targets, index


def planted(args: argparse.Namespace, sources: Path, targets: Path) -> dict[int, str]:
    """Which source each copying target copies, replayed from the seed as ``corpus.py``
    draws it (``write_targets``), and checked against the files."""
    ids, lengths = [], []
    with sources.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            ids.append(record["id"])
            lengths.append(len(record["text"].split()))
    picker = random.Random(int(np.random.default_rng(args.seed).integers(1 << 31)))
    copies = {}
    for number in range(args.targets):
        if picker.random() < args.copied:
            chosen = picker.choice(range(len(ids)))  # the draw of picker.choice(originals)
            if picker.choice(["whole", "half", "embedded"]) == "embedded":
                picker.randrange(lengths[chosen] - 150)
            copies[number] = ids[chosen]
    check_planted(copies, sources, targets)
    return copies


def check_planted(copies: dict[int, str], sources: Path, targets: Path) -> None:
    wanted = set(copies.values())
    texts = {}
    with sources.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if record["id"] in wanted:
                texts[record["id"]] = record["text"].split()
    for number, source in copies.items():
        target = (targets / f"article-{number:06d}.md").read_text(encoding="utf-8")
        words = texts[source]
        # Every kind of copy holds 150 consecutive words of the source, so one of its runs of
        # 12 words starting at a multiple of 12.
        if not any(" ".join(words[at : at + 12]) in target for at in range(0, len(words) - 12, 12)):
            sys.exit(
                f"the replay of corpus.py is out of step: target {number} does not copy {source}"
            )


def audit(targets: Path, index: Path, jobs: int, work: Path) -> Run:
    report = work / f"report-{jobs}.json"
    command = python_command(
        "-c",
        _MEASURE,
        sys.executable,
        "-m",
        "provenance",
        "audit",
        targets,
        "--index",
        index,
        "--format",
        "json",
        "--output",
        report,
        "--timings",
        "--jobs",
        str(jobs),
        "--fail-on",
        "never",
        "--no-progress",
    )
    step(f"auditing with --jobs {jobs}")
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"the audit failed ({done.returncode}):\n{done.stderr}")
    lines = done.stderr.strip().splitlines()
    stages = {}
    for line in lines:
        row = _TIMING.match(line)
        if row:
            stages[row.group(1)] = float(row.group(2))
    found: dict[int, set[str]] = {}
    for document in json.loads(report.read_text(encoding="utf-8"))["documents"]:
        name = Path(document["path"]).stem
        if name.startswith("article-"):
            found[int(name.removeprefix("article-"))] = {
                m["source_id"] for m in document["matches"]
            }
    return Run(jobs, wall, stages, int(lines[-1]) / 1024, found)


def step(message: str) -> None:
    print(f"# {message}", file=sys.stderr, flush=True)


def table(runs: list[Run], copies: dict[int, str], sources: int, targets: int) -> None:
    fast, slow = runs
    heading = f"| | --jobs {fast.jobs} | --jobs {slow.jobs} |"
    print(f"### Audit: {targets:,} targets against {sources:,} sources")
    print()
    print(heading)
    print("|---|---|---|")

    def row(name: str, value: object, other: object) -> None:
        print(f"| {name} | {value} | {other} |")

    for stage in fast.stages:
        if stage not in ("documents", "documents/s"):
            row(f"{stage} (s)", f"{fast.stages[stage]:.2f}", f"{slow.stages.get(stage, 0):.2f}")
    row("audit command, start to exit (s)", f"{fast.wall:.2f}", f"{slow.wall:.2f}")
    row(
        "documents/s",
        f"{fast.stages['documents/s']:.1f}",
        f"{slow.stages['documents/s']:.1f}",
    )
    row("peak memory of the largest process (MiB)", f"{fast.peak_mib:.0f}", f"{slow.peak_mib:.0f}")
    if slow.found != fast.found:
        sys.exit("the two audits found different matches")
    recalled = sum(copies[n] in fast.found.get(n, set()) for n in copies)
    others = sum(len(s - {copies.get(n)}) for n, s in fast.found.items())
    row("planted copies matched", f"{recalled}/{len(copies)}", f"{recalled}/{len(copies)}")
    row("other matches", others, others)
    print()
    speedup = slow.stages["audit (wall)"] / fast.stages["audit (wall)"]
    print(f"Speed-up of --jobs {fast.jobs} over --jobs 1: {speedup:.2f}x (audit wall time).")
    if (sources, targets) == (100_000, 10_000):
        verdict = "met" if fast.stages["audit (wall)"] <= TARGET_SECONDS else "missed"
        print(f"Target: the audit within {TARGET_SECONDS:.0f} s: {verdict}.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=100_000, help="sources indexed")
    parser.add_argument("--targets", type=int, default=10_000, help="files audited")
    parser.add_argument("--copied", type=float, default=0.2, help="share of copying targets")
    parser.add_argument("--jobs", type=int, default=cpus())
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--bench", type=Path, default=BENCH, help="the benchmark data folder")
    parser.add_argument(
        "--work", type=Path, help="keep the corpus, index and reports here, and reuse them"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="audit-bench-") as temporary:
        work = args.work or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        sources, targets, index = build_corpus(args, work)
        copies = planted(args, sources, targets)
        runs = [audit(targets, index, args.jobs, work), audit(targets, index, 1, work)]
        table(runs, copies, args.sources, args.targets)
    return 0


if __name__ == "__main__":
    sys.exit(main())
