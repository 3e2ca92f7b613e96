"""Extraction benchmark: how close is the main text provenance takes from a page to the article?

Data: Zyte's article-extraction benchmark, 181 real pages (`html/*.html.gz`) with the article
body a person marked in each (`ground-truth.json`). Scored exactly as the benchmark's own
`evaluate.py` does: word 4-grams ("shingles") of the `\\w+` tokens, counted with repeats; per
page true positives, false positives and false negatives normalised to sum to one; precision
and recall are means over the pages, F1 is the harmonic mean of those two means; "±" is the
standard deviation of each figure over bootstrap resamples of the pages.

Provenance runs `extract_page`, the function behind `provenance extract`; the anchor is
trafilatura with its default settings (`trafilatura.extract(html)`).

    python benchmarks/extraction.py                       # default location
    python benchmarks/extraction.py DATASET --show-worst 15

Prints a Markdown table (recorded in benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from provenance.extract import extract_page

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / ".." / "shared" / "bench" / "article-extraction-benchmark"
SHINGLE = 4
BOOTSTRAP = 1000
SEED = 2026

# The benchmark's tokeniser, flags and all (IGNORECASE does not fold case: tokens keep theirs).
_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)

Counts = tuple[float, float, float]  # true positives, false positives, false negatives


@dataclass(frozen=True)
class Page:
    id: str
    url: str
    html: str
    truth: str


@dataclass(frozen=True)
class Run:
    """One extractor's scores: per page counts, and the seconds it took over all pages."""

    name: str
    counts: dict[str, Counts]
    seconds: float


def load_pages(dataset: Path) -> list[Page]:
    truth = json.loads((dataset / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        with gzip.open(dataset / "html" / f"{key}.html.gz", "rt", encoding="utf-8") as file:
            html = file.read()
        item = truth[key]
        pages.append(Page(key, item.get("url") or "", html, item.get("articleBody") or ""))
    return pages


# ---------------------------------------------------------------- the benchmark's measure


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    grams = (tuple(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1)))
    return Counter(gram for gram in grams if gram)


def compare(truth: str, predicted: str) -> Counts:
    """True/false positives and false negatives over shingles, normalised to sum to one."""
    expected, found = shingles(truth), shingles(predicted)
    tp = fp = fn = 0.0
    for gram in expected.keys() | found.keys():
        want, got = expected.get(gram, 0), found.get(gram, 0)
        tp += min(want, got)
        fp += max(0, got - want)
        fn += max(0, want - got)
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def f1(counts: Counts) -> float:
    p, r = precision(*counts), recall(*counts)
    return 2 * p * r / (p + r) if p + r else 0.0


def metrics(counts: Sequence[Counts]) -> dict[str, float]:
    p = statistics.mean(precision(*c) for c in counts if c[0] + c[1] > 0)
    r = statistics.mean(recall(*c) for c in counts if c[0] + c[2] > 0)
    return {"f1": 2 * p * r / (p + r), "precision": p, "recall": r}


def with_bootstrap(counts: Sequence[Counts], rounds: int, seed: int) -> dict[str, float]:
    """The metrics, and for each a ``…_std``: its standard deviation over ``rounds`` resamples
    of the pages (with replacement), as the benchmark reports it."""
    result = metrics(counts)
    rng = random.Random(seed)
    samples: dict[str, list[float]] = {key: [] for key in result}
    for _ in range(rounds):
        resample = [counts[rng.randrange(len(counts))] for _ in counts]
        for key, value in metrics(resample).items():
            samples[key].append(value)
    return result | {f"{key}_std": statistics.stdev(values) for key, values in samples.items()}


# ---------------------------------------------------------------- the two extractors


def provenance_text(page: Page) -> str:
    return extract_page(page.html, page.url or None).text


def trafilatura_default(page: Page) -> str:
    return trafilatura.extract(page.html) or ""


def run(name: str, extract: Callable[[Page], str], pages: Sequence[Page]) -> Run:
    counts = {}
    seconds = 0.0
    for page in pages:
        started = time.perf_counter()
        text = extract(page)
        seconds += time.perf_counter() - started
        counts[page.id] = compare(page.truth, text)
    return Run(name, counts, seconds)


# ---------------------------------------------------------------- output


def print_table(runs: Sequence[Run], pages: int, rounds: int, seed: int) -> None:
    print(f"### Article extraction: {pages} pages, bootstrap {rounds} rounds (seed {seed})\n")
    print("| extractor | F1 | precision | recall | time |")
    print("|---|---|---|---|---|")
    for result in runs:
        m = with_bootstrap(list(result.counts.values()), rounds, seed)
        cells = [f"{m[key]:.3f} ± {m[f'{key}_std']:.3f}" for key in ("f1", "precision", "recall")]
        print(f"| {result.name} | {' | '.join(cells)} | {result.seconds:.2f} s |")


def print_worst(ours: Run, anchor: Run, pages: Sequence[Page], count: int) -> None:
    print(f"\n#### Pages where provenance scores lowest (first {count})\n")
    print("| page | F1 | precision | recall | anchor F1 | url |")
    print("|---|---|---|---|---|---|")
    by_id = {page.id: page for page in pages}
    worst = sorted(ours.counts.items(), key=lambda item: f1(item[1]))[:count]
    for key, counts in worst:
        print(
            f"| {key[:12]} | {f1(counts):.3f} | {precision(*counts):.3f} | "
            f"{recall(*counts):.3f} | {f1(anchor.counts[key]):.3f} | {by_id[key].url} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("dataset", type=Path, nargs="?", default=DATASET)
    parser.add_argument("--bootstrap", type=int, default=BOOTSTRAP, metavar="ROUNDS")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--show-worst", type=int, default=0, metavar="N", help="list the N pages scored lowest"
    )
    args = parser.parse_args()
    if not (args.dataset / "ground-truth.json").is_file():
        sys.exit(f"no ground-truth.json under {args.dataset}")
    pages = load_pages(args.dataset)
    ours = run("provenance (`extract_page`)", provenance_text, pages)
    anchor = run(f"trafilatura {trafilatura.__version__}, defaults", trafilatura_default, pages)
    print_table([ours, anchor], len(pages), args.bootstrap, args.seed)
    if args.show_worst:
        print_worst(ours, anchor, pages, args.show_worst)


if __name__ == "__main__":
    main()
