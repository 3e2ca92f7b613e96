"""Synthetic news corpora for the scale benchmarks: as many news-sized articles as asked for.

Articles are drawn from word bigram chains trained on real article bodies (the
article-extraction benchmark's 181 articles and the PAN 2013 source documents), 400 to 900 words
each, so their vocabulary, word frequencies and common phrases are those of real text, while any
two articles share no more than real, unrelated articles do. There is one chain per script the
training articles are written in (Latin, Cyrillic, Han and kana, Hangul, ...), so each article
keeps to one language family, and scripts are as common as among the training articles. The
same seed gives the same corpus.

    python benchmarks/corpus.py sources 10000 corpus.jsonl          # index sources (JSON Lines)
    python benchmarks/corpus.py sources 1000 more.jsonl --first 10000 --seed 7   # more of them
    python benchmarks/corpus.py targets 10000 targets/ --sources corpus.jsonl --copied 0.2

``targets`` writes Markdown files to audit: the ``--copied`` share of them republish a passage
(the whole article, its first half, or 150 words embedded in fresh text) of a random article
from ``--sources``; the rest are fresh articles.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import numpy as np

BENCH = Path("../shared/bench")
MIN_WORDS, MAX_WORDS = 400, 900
_BATCH = 2000  # articles generated together, one word of each per vectorised step
_RESTART = 0.1  # chance that a word is drawn afresh rather than from the one before


class Chain:
    """A word bigram chain: each next word is drawn from the words that followed the current one
    in the training text, as often as they did."""

    def __init__(self, texts: list[str]) -> None:
        vocabulary: dict[str, int] = {}
        pairs: list[tuple[int, int]] = []
        for text in texts:
            ids = [vocabulary.setdefault(w, len(vocabulary)) for w in text.split()]
            pairs.extend(itertools.pairwise(ids))
        self.words = np.array(list(vocabulary), dtype=object)
        ordered = np.array(sorted(pairs), dtype=np.int64)
        self.successors = ordered[:, 1]
        counts = np.bincount(ordered[:, 0], minlength=len(vocabulary))
        self.start = np.concatenate([[0], np.cumsum(counts)[:-1]])
        self.count = counts
        self.starters = np.unique(ordered[:, 0])  # words something can follow

    def articles(self, n: int, rng: np.random.Generator) -> Iterator[str]:
        for first in range(0, n, _BATCH):
            size = min(_BATCH, n - first)
            lengths = rng.integers(MIN_WORDS, MAX_WORDS + 1, size)
            current = rng.choice(self.starters, size)
            steps = [current]
            for _ in range(MAX_WORDS - 1):
                count = self.count[current]
                pick = self.start[current] + (rng.random(size) * np.maximum(count, 1)).astype(int)
                # A word drawn as often as it occurs, after a word nothing followed and now and
                # then anyway: no article repeats a long run of the training text.
                restart = self.successors[rng.integers(len(self.successors), size=size)]
                follow = (count > 0) & (rng.random(size) >= _RESTART)
                current = np.where(
                    follow, self.successors[np.minimum(pick, len(self.successors) - 1)], restart
                )
                steps.append(current)
            matrix = np.stack(steps, axis=1)
            for row, length in zip(matrix, lengths, strict=True):
                yield " ".join(self.words[row[:length]])


class Corpus:
    """Articles from one chain per script, picked as often as the script's training words."""

    def __init__(self, texts: list[str]) -> None:
        groups: dict[str, list[str]] = {}
        for text in texts:
            groups.setdefault(_script(text), []).append(text)
        self.chains = [Chain(group) for group in groups.values()]
        words = np.array([sum(len(t.split()) for t in group) for group in groups.values()])
        self.shares = words / words.sum()

    def articles(self, n: int, rng: np.random.Generator) -> Iterator[str]:
        for first in range(0, n, _BATCH):
            size = min(_BATCH, n - first)
            chain_of = rng.choice(len(self.chains), size=size, p=self.shares)
            made = [
                iter(list(chain.articles(int((chain_of == c).sum()), rng)))
                for c, chain in enumerate(self.chains)
            ]
            for c in chain_of.tolist():
                yield next(made[c])


def _script(text: str) -> str:
    """The script most of ``text``'s letters are written in."""
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "?").split()[0]
            script = "CJK" if name in ("CJK", "HIRAGANA", "KATAKANA") else name
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else "?"


def training_texts(bench: Path) -> list[str]:
    truth = json.loads((bench / "article-extraction-benchmark/ground-truth.json").read_text())
    texts = [entry["articleBody"] for entry in truth.values()]
    pan = bench / "pan13-text-alignment-no-obfuscation/src"
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(pan.glob("*.txt"))]
    return texts


def write_sources(
    corpus: Corpus, n: int, out: Path, rng: np.random.Generator, first: int = 0
) -> None:
    with out.open("w", encoding="utf-8") as file:
        for number, text in enumerate(corpus.articles(n, rng), start=first):
            record = {
                "id": f"news-{number:07d}",
                "url": f"https://news.example.org/{number:07d}",
                "title": " ".join(text.split()[:8]),
                "text": text,
            }
            file.write(json.dumps(record, ensure_ascii=False) + "\n")


def write_targets(
    corpus: Corpus, n: int, folder: Path, sources: Path, copied: float, rng: np.random.Generator
) -> None:
    picker = random.Random(int(rng.integers(1 << 31)))
    originals = [json.loads(line)["text"] for line in sources.open(encoding="utf-8")]
    folder.mkdir(parents=True, exist_ok=True)
    # Fresh articles from a stream of their own: the sources' stream would give the sources.
    fresh = corpus.articles(n, np.random.default_rng([int(rng.integers(1 << 31)), 1]))
    for number in range(n):
        text = next(fresh)
        if picker.random() < copied:
            words = picker.choice(originals).split()
            kind = picker.choice(["whole", "half", "embedded"])
            if kind == "whole":
                text = " ".join(words)
            elif kind == "half":
                text = " ".join(words[: len(words) // 2])
            else:
                at = picker.randrange(len(words) - 150)
                mine = text.split()
                text = " ".join(mine[:200] + words[at : at + 150] + mine[200:])
        (folder / f"article-{number:06d}.md").write_text(f"# Article {number}\n\n{text}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=["sources", "targets"])
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path, help="a .jsonl file (sources) or a folder (targets)")
    parser.add_argument("--sources", type=Path, help="the sources corpus targets copy from")
    parser.add_argument("--copied", type=float, default=0.2, help="share of copying targets")
    parser.add_argument("--first", type=int, default=0, help="number of the first source")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--bench", type=Path, default=BENCH, help="the benchmark data folder")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    corpus = Corpus(training_texts(args.bench))
    if args.kind == "sources":
        write_sources(corpus, args.count, args.out, rng, args.first)
    elif args.sources is None:
        parser.error("targets need --sources")
    else:
        write_targets(corpus, args.count, args.out, args.sources, args.copied, rng)
    return 0


if __name__ == "__main__":
    sys.exit(main())
