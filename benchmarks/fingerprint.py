"""Fingerprinting speed and accuracy, on one core, side by side with datasketch and rensa.

Speed: news-sized articles (400 to 900 words; `corpus.py` makes them from real article text),
word 5-gram shingles, 128 permutations, from the raw text to one signature per article. Peers
split on whitespace and join shingles as strings, as their documentation does; provenance also
normalises the text (Unicode, case, look-alikes) on the way. Also timed: provenance's own
windowed fingerprints, the ones its index stores and looks up.

Accuracy: Jaccard similarity and containment estimated from the signatures of real text pairs
(the PAN 2013 pairs, the Clough & Stevenson answers and their originals) against the exact
values over the same shingles.

    python benchmarks/fingerprint.py
    python benchmarks/fingerprint.py --articles 2000 --rounds 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import rensa
import xxhash
from datasketch import MinHash

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import Corpus, training_texts

from provenance.extract import read_text
from provenance.fingerprint import SOURCE_STEP, STEP, fingerprints, signatures
from provenance.normalise import tokens

PERM = 128
SHINGLE = 5
BATCH = 500  # articles provenance fingerprints per call


def shingles(text: str) -> list[str]:
    words = text.split()
    return [" ".join(words[i : i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 1))]


def datasketch_update(texts: Sequence[str]) -> None:
    for text in texts:
        signature = MinHash(num_perm=PERM)
        for shingle in shingles(text):
            signature.update(shingle.encode())


def datasketch_bulk(texts: Sequence[str]) -> None:
    MinHash.bulk([[s.encode() for s in shingles(t)] for t in texts], num_perm=PERM)


def datasketch_affine32(texts: Sequence[str]) -> None:
    MinHash.bulk(
        [[s.encode() for s in shingles(t)] for t in texts],
        num_perm=PERM,
        hashfunc=xxhash.xxh32_intdigest,
        scheme="affine32",
    )


def rensa_rminhash(texts: Sequence[str]) -> None:
    for text in texts:
        rensa.RMinHash(num_perm=PERM, seed=42).update(shingles(text))


def in_batches(fingerprint: Callable[[Sequence[str]], object]) -> Callable[[Sequence[str]], None]:
    def run(texts: Sequence[str]) -> None:
        for first in range(0, len(texts), BATCH):
            fingerprint(texts[first : first + BATCH])

    return run


CONTENDERS: dict[str, Callable[[Sequence[str]], None]] = {
    "datasketch MinHash.update, per shingle": datasketch_update,
    "datasketch MinHash.bulk": datasketch_bulk,
    "datasketch bulk, xxhash, affine32": datasketch_affine32,
    "rensa RMinHash": rensa_rminhash,
    "provenance signatures (one per article)": in_batches(
        lambda texts: signatures(texts, shingle=SHINGLE, num_perm=PERM)
    ),
    "provenance windows, as indexed (every 50 words)": in_batches(
        lambda texts: fingerprints(texts, step=SOURCE_STEP)
    ),
    "provenance windows, as audited (every 25 words)": in_batches(
        lambda texts: fingerprints(texts, step=STEP)
    ),
}
ANCHOR = "rensa RMinHash"
SLOW = "datasketch MinHash.update, per shingle"  # timed on a tenth of the articles


def speed(texts: list[str], rounds: int) -> None:
    size = sum(len(t.encode()) for t in texts) / 1e6
    print(f"\n### Speed: {len(texts):,} articles, {size:.1f} MB, one core, best of {rounds}\n")
    rates = {}
    for name, run in CONTENDERS.items():
        sample = texts[: len(texts) // 10] if name == SLOW else texts
        sample_size = sum(len(t.encode()) for t in sample) / 1e6
        best = min(_seconds(run, sample) for _ in range(rounds))
        rates[name] = sample_size / best
    print("| fingerprinting | MB/s | articles/s | vs rensa |")
    print("|---|---|---|---|")
    per_article = size / len(texts)
    for name, rate in rates.items():
        ratio = rate / rates[ANCHOR]
        print(f"| {name} | {rate:.1f} | {rate / per_article:,.0f} | {ratio:.2f} x |")


def _seconds(run: Callable[[Sequence[str]], None], texts: list[str]) -> float:
    started = time.perf_counter()
    run(texts)
    return time.perf_counter() - started


# ------------------------------------------------------------------------------------ accuracy


def pairs(bench: Path) -> list[tuple[str, str]]:
    """(suspicious or answer, source) texts of real copy pairs."""
    found = []
    pan = bench / "pan13-text-alignment-no-obfuscation"
    for line in (pan / "pairs").read_text().split("\n"):
        if line.strip():
            suspicious, source = line.split()
            found.append((read_text(pan / "susp" / suspicious), read_text(pan / "src" / source)))
    clough = bench / "clough-stevenson"
    originals = {p.stem.split("_")[-1]: read_text(p) for p in clough.rglob("orig_task*.txt")}
    for answer in sorted(clough.rglob("g*_task*.txt")):
        found.append((read_text(answer), originals[answer.stem.split("_")[-1]]))
    return found


def accuracy(text_pairs: list[tuple[str, str]]) -> None:
    errors: dict[str, tuple[list[float], list[float]]] = {}
    for a_text, b_text in text_pairs:
        # Every estimator sees the same words: provenance's comparison form, joined by spaces.
        a, b = (" ".join(t.text for t in tokens(text)) for text in (a_text, b_text))
        set_a, set_b = set(shingles(a)), set(shingles(b))
        jaccard = len(set_a & set_b) / len(set_a | set_b)
        containment = len(set_a & set_b) / len(set_a)
        ours = signatures([a, b], shingle=SHINGLE, num_perm=PERM)
        estimates = {
            "datasketch MinHash (128 permutations)": _datasketch_jaccard(set_a, set_b),
            "rensa RMinHash (128 permutations)": _rensa_jaccard(set_a, set_b),
            "provenance signatures (128 bins)": float((ours[0] == ours[1]).mean()),
        }
        for name, estimate in estimates.items():
            # containment from the Jaccard estimate and the exact set sizes
            contained = estimate * (len(set_a) + len(set_b)) / ((1 + estimate) * len(set_a))
            j_errors, c_errors = errors.setdefault(name, ([], []))
            j_errors.append(abs(estimate - jaccard))
            c_errors.append(abs(contained - containment))
    print(f"\n### Accuracy: {len(text_pairs)} real text pairs (PAN 2013, Clough & Stevenson)\n")
    print("| estimator | Jaccard error, mean | p95 | containment error, mean | p95 |")
    print("|---|---|---|---|---|")
    for name, (j_errors, c_errors) in errors.items():
        print(
            f"| {name} | {statistics.fmean(j_errors):.4f} | {_p95(j_errors):.4f} | "
            f"{statistics.fmean(c_errors):.4f} | {_p95(c_errors):.4f} |"
        )


def _datasketch_jaccard(a: set[str], b: set[str]) -> float:
    first, second = MinHash.bulk([[s.encode() for s in a], [s.encode() for s in b]], num_perm=PERM)
    return float(first.jaccard(second))


def _rensa_jaccard(a: set[str], b: set[str]) -> float:
    first, second = (rensa.RMinHash(num_perm=PERM, seed=42) for _ in range(2))
    first.update(list(a))
    second.update(list(b))
    return float(first.jaccard(second))


def _p95(values: list[float]) -> float:
    return float(np.percentile(values, 95))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3, help="timed runs; the best counts")
    parser.add_argument("--bench", type=Path, default=Path("../shared/bench"))
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    corpus = Corpus(training_texts(args.bench))
    texts = list(corpus.articles(args.articles, np.random.default_rng(args.seed)))
    in_batches(lambda t: fingerprints(t))(texts[:10])  # tables built once, before timing
    speed(texts, args.rounds)
    accuracy(pairs(args.bench))
    return 0


if __name__ == "__main__":
    sys.exit(main())
