"""Detection benchmark: does provenance find every copy, and only copies, in text nobody here wrote?

Three corpora, each run through provenance's real pipeline (index, audit) and through the anchor,
a plain datasketch MinHashLSH pipeline (one MinHash per document over word shingles, LSH query,
every candidate taken as a match):

* republication cases built from real news articles (default: the article-extraction benchmark's
  181 article bodies): wrapped verbatim copies, leading excerpts, passages embedded in unrelated
  articles, light edits, obfuscated copies, and unrelated articles as negatives;
* the Clough & Stevenson corpus of short answers (cut, light, heavy, non);
* the PAN 2013 text alignment corpus, no-obfuscation sample.

    python benchmarks/detection.py                      # all three, default locations
    python benchmarks/detection.py --corpus articles --cases 40

Prints Markdown tables (recorded in benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from datasketch import MinHash, MinHashLSH

from provenance.engine import audit
from provenance.extract import read_text
from provenance.index import SqliteIndex
from provenance.indexing import update_index
from provenance.models import Match
from provenance.normalise import tokens

BENCH = Path("../shared/bench")
KINDS = ("verbatim", "excerpt", "embedded", "light edits", "obfuscated")
ANCHOR_PERM = 128

# --------------------------------------------------------------------------- the two pipelines


@dataclass
class Run:
    """What a pipeline matched: target name -> source ids, plus provenance's matches."""

    found: dict[str, set[str]]
    seconds: float
    matches: dict[str, list[Match]] = field(default_factory=dict)


def run_provenance(source_files: Iterable[Path], target_files: Iterable[Path], work: Path) -> Run:
    """Index the sources and audit the targets exactly as `provenance audit` does."""
    started = time.perf_counter()
    with SqliteIndex(work / "index.sqlite") as index:
        update = update_index(index, [str(p) for p in source_files], {})
        if update.problems:
            sys.exit(f"sources not read: {update.problems[:3]}")
        result = audit([str(p) for p in target_files], index, {})
    seconds = time.perf_counter() - started
    matches = {Path(d.path).name: list(d.matches) for d in result.documents}
    unread = [d for d in result.documents if d.status != "scanned"]
    if unread:
        sys.exit(f"targets not audited: {[(d.path, d.reason) for d in unread[:3]]}")
    found = {name: {m.source.id for m in found} for name, found in matches.items()}
    return Run(found, seconds, matches)


def _plain_words(text: str) -> list[str]:
    """Lower-cased ``\\w+`` words, found without provenance, so that the anchor and the checks
    that build and score the cases are independent of it."""
    return re.findall(r"\w+", text.lower())


def _grams(words: list[str], n: int) -> set[str]:
    """Word n-grams (the whole text as one if it is shorter)."""
    return (
        {" ".join(words[i : i + n]) for i in range(max(len(words) - n + 1, 1))} if words else set()
    )


def _anchor_signature(text: str, shingle: int) -> MinHash:
    grams = _grams(_plain_words(text), shingle)
    signature = MinHash(num_perm=ANCHOR_PERM)
    signature.update_batch([g.encode() for g in grams])
    return signature


def run_anchor(
    sources: dict[str, str], targets: dict[str, str], threshold: float, shingle: int = 5
) -> Run:
    """The plain datasketch pipeline: whole-document MinHash, MinHashLSH, no verification."""
    started = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=ANCHOR_PERM)
    for source_id, text in sources.items():
        lsh.insert(source_id, _anchor_signature(text, shingle))
    found = {name: set(lsh.query(_anchor_signature(t, shingle))) for name, t in targets.items()}
    return Run(found, time.perf_counter() - started)


# --------------------------------------------------------------------------- real articles

HOMOGLYPHS = str.maketrans("aceopxyiAEOPCXHKMBT", "асеорхуіАЕОРСХНКМВТ")  # noqa: RUF001
WRAP_HEAD = "Home | News | World | Opinion\nShare on Facebook  Share on X  Email\n\n"
WRAP_TAIL = (
    "\n\nRead more\nSign up for our morning briefing and get the day's top stories.\n"
    "Comments are closed for this article.\n© Example Daily. All rights reserved."
)


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?…])\s+", text.strip()) if s]


def _words(text: str) -> int:
    return len(tokens(text))


def _excerpt(text: str) -> str:
    """The leading third of a story, whole sentences, at least 120 words."""
    want = max(120, _words(text) // 3)
    taken: list[str] = []
    for sentence in _sentences(text):
        taken.append(sentence)
        if _words(" ".join(taken)) >= want:
            break
    return " ".join(taken)


def _embed(text: str, host: str, rng: random.Random) -> str:
    """A 130-word passage from the middle of ``text`` inside the paragraphs of ``host``."""
    words = text.split()
    start = max((len(words) - 130) // 2, 0)
    passage = " ".join(words[start : start + 130])
    paragraphs = [p for p in host.split("\n") if p.strip()]
    at = len(paragraphs) // 2
    return "\n\n".join([*paragraphs[:at], passage, *paragraphs[at:]])


def _light_edit(text: str, vocabulary: list[str], rng: random.Random) -> str:
    """Drop about one sentence in ten, substitute 4 % of the words, straighten the quotes."""
    kept = [s for s in _sentences(text) if rng.random() > 0.1]
    words = " ".join(kept).split()
    for i in rng.sample(range(len(words)), k=round(len(words) * 0.04)):
        words[i] = rng.choice(vocabulary)
    edited = " ".join(words)
    return edited.translate(str.maketrans("\u2018\u2019\u201c\u201d", "''\"\""))


def _obfuscate(text: str, rng: random.Random) -> str:
    """Cyrillic look-alikes in 30 % of the words, zero-width spaces inside words, NBSPs."""
    out = []
    for word in text.split(" "):
        if rng.random() < 0.3:
            word = word.translate(HOMOGLYPHS)
        if len(word) > 3 and rng.random() < 0.15:
            middle = len(word) // 2
            word = word[:middle] + "\u200b" + word[middle:]
        out.append(word)
    joined = "".join(w + (" " if rng.random() < 0.7 else "\u00a0") for w in out)
    return joined.rstrip()


@dataclass
class Case:
    name: str
    kind: str  # one of KINDS, or "negative"
    source: str | None  # the id of the source it copies
    text: str
    true_coverage: float | None = None  # for excerpts: share of the source copied


def build_article_cases(folder: Path, count: int, seed: int) -> tuple[dict[str, str], list[Case]]:
    """Half the articles become indexed sources; the others host embedded passages and serve as
    unrelated negatives. Returns (sources, cases)."""
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    rng = random.Random(seed)
    articles = _unrelated(
        {key: value["articleBody"].strip() for key, value in sorted(truth.items())}, rng
    )
    ids = list(articles)
    half = len(ids) // 2
    sources = {i: articles[i] for i in ids[:half]}
    others = ids[half:]
    vocabulary = sorted({w for i in others for w in articles[i].split() if w.isalpha()})
    cases = [Case(f"negative-{i[:12]}.txt", "negative", None, articles[i]) for i in others]
    long_enough = [i for i in sources if _words(sources[i]) >= 360]

    def pick(pool: list[str]) -> list[str]:
        return rng.sample(pool, k=min(count, len(pool)))

    for i in pick(list(sources)):
        text = WRAP_HEAD + sources[i] + WRAP_TAIL
        cases.append(Case(f"verbatim-{i[:12]}.txt", "verbatim", i, text))
    for i in pick(long_enough):
        excerpt = _excerpt(sources[i])
        share = _words(excerpt) / _words(sources[i])
        cases.append(Case(f"excerpt-{i[:12]}.txt", "excerpt", i, excerpt, share))
    hosts = [h for h in others if _words(articles[h]) >= 300]
    for i in pick(list(sources)):
        host = articles[rng.choice(hosts)]
        cases.append(Case(f"embedded-{i[:12]}.txt", "embedded", i, _embed(sources[i], host, rng)))
    for i in pick(list(sources)):
        edited = _light_edit(sources[i], vocabulary, rng)
        cases.append(Case(f"edited-{i[:12]}.txt", "light edits", i, edited))
    for i in pick(list(sources)):
        cases.append(Case(f"obfuscated-{i[:12]}.txt", "obfuscated", i, _obfuscate(sources[i], rng)))
    return sources, cases


def _unrelated(articles: dict[str, str], rng: random.Random) -> dict[str, str]:
    """Articles of at least 150 words in random order, leaving out any that shares a word 8-gram
    with one already taken (a site's boilerplate, a press release run twice): the corpus has
    such pairs, and an unrelated article must really be unrelated."""
    ids = sorted(articles)
    rng.shuffle(ids)
    taken: dict[str, str] = {}
    seen: set[str] = set()
    for i in ids:
        words = _plain_words(articles[i])
        grams = _grams(words, 8)
        if len(words) >= 150 and not grams & seen:
            taken[i] = articles[i]
            seen |= grams
    return taken


def _write(folder: Path, texts: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in texts.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _tally(cases: list[Case], run: Run, kind: str) -> str:
    chosen = [c for c in cases if c.kind == kind]
    if kind == "negative":
        return f"{sum(1 for c in chosen if run.found[c.name])} matched"
    hits = sum(1 for c in chosen if c.source in run.found[c.name])
    wrong = sum(len(run.found[c.name] - {c.source}) for c in chosen)
    return f"{hits}/{len(chosen)}" + (f", {wrong} wrong" if wrong else "")


def articles_benchmark(folder: Path, count: int, seed: int) -> None:
    sources, cases = build_article_cases(folder, count, seed)
    with tempfile.TemporaryDirectory() as work:
        base = Path(work)
        source_files = _write(base / "sources", {f"{i}.txt": t for i, t in sources.items()})
        target_files = _write(base / "targets", {c.name: c.text for c in cases})
        ours = run_provenance(source_files, target_files, base)
    ours.found = {name: {i.removesuffix(".txt") for i in ids} for name, ids in ours.found.items()}
    targets = {c.name: c.text for c in cases}
    anchors = {t: run_anchor(sources, targets, t) for t in (0.5, 0.1)}
    negatives = sum(1 for c in cases if c.kind == "negative")
    print(f"\n### Real articles: {len(sources)} sources indexed, {len(cases)} targets\n")
    print("| case | cases | provenance | anchor, LSH t=0.5 | anchor, LSH t=0.1 |")
    print("|---|---|---|---|---|")
    for kind in (*KINDS, "negative"):
        total = negatives if kind == "negative" else sum(1 for c in cases if c.kind == kind)
        label = "unrelated (negatives)" if kind == "negative" else kind
        row = [_tally(cases, run, kind) for run in (ours, anchors[0.5], anchors[0.1])]
        print(f"| {label} | {total} | " + " | ".join(row) + " |")
    errors = []
    for case in cases:
        if case.kind == "excerpt":
            source_id = f"{case.source}.txt"
            match = next((m for m in ours.matches[case.name] if m.source.id == source_id), None)
            if match and case.true_coverage is not None:
                errors.append(abs(match.source_coverage - case.true_coverage))
    if errors:
        print(
            f"| excerpt `source_coverage` error | {len(errors)} |"
            f" mean {sum(errors) / len(errors):.3f}, max {max(errors):.3f} | - | - |"
        )
    times = [f"{r.seconds:.2f} s" for r in (ours, anchors[0.5], anchors[0.1])]
    print("| time (index + audit) | | " + " | ".join(times) + " |")


# --------------------------------------------------------------------------- Clough & Stevenson


def clough_benchmark(folder: Path) -> None:
    rows = [line.split(",") for line in (folder / "file_information.csv").read_text().split()[1:]]
    answers = {name: (task, category) for name, task, category in rows if category != "orig"}
    source_files = sorted(folder.glob("orig_task*.txt"))
    with tempfile.TemporaryDirectory() as work:
        ours = run_provenance(source_files, [folder / n for n in answers], Path(work))
    expected = {name: f"orig_task{task}.txt" for name, (task, _) in answers.items()}
    texts = {name: read_text(folder / name) for name in answers}
    sources = {p.name: read_text(p) for p in source_files}
    best: tuple[float, str, Run] | None = None
    for shingle in (1, 2, 3, 5):
        for step in range(1, 20):
            threshold = step / 20
            run = run_anchor(sources, texts, threshold, shingle)
            score = _clough_accuracy(answers, expected, run)
            if best is None or score > best[0]:
                best = (score, f"LSH t={threshold:.2f}, {shingle}-word shingles", run)
    assert best is not None
    anchor_label, anchor = best[1], best[2]
    print(f"\n### Clough & Stevenson: {len(sources)} originals, {len(answers)} answers\n")
    print(f"| answers | count | provenance | anchor, best of sweep ({anchor_label}) |")
    print("|---|---|---|---|")
    for category in ("cut", "light", "heavy", "non"):
        names = [n for n, (_, c) in answers.items() if c == category]
        cells = []
        for run in (ours, anchor):
            if category == "non":
                cells.append(f"{sum(1 for n in names if run.found[n])} matched")
            else:
                cells.append(f"{sum(1 for n in names if expected[n] in run.found[n])} matched")
        print(f"| {category} | {len(names)} | " + " | ".join(cells) + " |")
    wrong = [sum(len(r.found[n] - {expected[n]}) for n in answers) for r in (ours, anchor)]
    print(f"| matches to another task's original | | {wrong[0]} | {wrong[1]} |")
    accuracy = [_clough_accuracy(answers, expected, r) for r in (ours, anchor)]
    print(f"| accuracy | | {accuracy[0]:.3f} | {accuracy[1]:.3f} |")
    print(f"| time (index + audit) | | {ours.seconds:.2f} s | {anchor.seconds:.2f} s |")


def _clough_accuracy(
    answers: dict[str, tuple[str, str]], expected: dict[str, str], run: Run
) -> float:
    """An answer is right when it matches exactly its own original, or nothing if it is `non`."""
    right = 0
    for name, (_, category) in answers.items():
        want = set() if category == "non" else {expected[name]}
        right += run.found[name] == want
    return right / len(answers)


# --------------------------------------------------------------------------- PAN 2013


def pan_benchmark(folder: Path) -> None:
    pairs = {tuple(line.split()) for line in (folder / "pairs").read_text().splitlines() if line}
    cases: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for path in sorted((folder / "annotations").glob("*.xml")):
        root = ET.parse(path).getroot()
        suspicious = root.get("reference", "")
        for feature in root.iter("feature"):
            if feature.get("name") != "plagiarism":
                continue
            start = int(feature.get("this_offset", "0"))
            span = (start, start + int(feature.get("this_length", "0")))
            cases.setdefault((suspicious, feature.get("source_reference", "")), []).append(span)
    suspicious_files = sorted({folder / "susp" / s for s, _ in pairs})
    source_files = sorted((folder / "src").glob("*.txt"))
    with tempfile.TemporaryDirectory() as work:
        ours = run_provenance(source_files, suspicious_files, Path(work))
    texts = {p.name: read_text(p) for p in suspicious_files}
    sources = {p.name: read_text(p) for p in source_files}
    best: tuple[float, str, Run] | None = None
    for shingle in (1, 3, 5):
        for threshold in (0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5):
            run = run_anchor(sources, texts, threshold, shingle)
            recall, precision = _pair_scores(pairs, run)
            f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
            if best is None or f1 > best[0]:
                best = (f1, f"LSH t={threshold}, {shingle}-word shingles", run)
    assert best is not None
    covered = total = 0
    for (suspicious, source), spans in cases.items():
        passages = [
            p.target
            for m in ours.matches.get(suspicious, [])
            if m.source.id == source
            for p in m.passages
        ]
        for start, end in spans:
            total += end - start
            covered += _overlap((start, end), passages)
    print(
        f"\n### PAN 2013 text alignment, no obfuscation: {len(pairs)} pairs,"
        f" {len(cases)} annotated pairs\n"
    )

    # The sample lists only some of its documents' pairs: a reported pair it does not list but
    # whose texts share a long verbatim run (checked here without provenance) is a real copy.
    def unlisted_copies(run: Run) -> int:
        reported = {(s, src) for s, found in run.found.items() for src in found} - pairs
        return sum(1 for s, src in reported if _shares_run(texts[s], sources[src]))

    ours_scores, anchor_scores = _pair_scores(pairs, ours), _pair_scores(pairs, best[2])
    extra = [unlisted_copies(ours), unlisted_copies(best[2])]
    print(f"| measure | provenance | anchor, best F1 of sweep ({best[1]}) |")
    print("|---|---|---|")
    print(f"| pair recall | {ours_scores[0]:.3f} | {anchor_scores[0]:.3f} |")
    print(f"| pair precision, listed pairs only | {ours_scores[1]:.3f} | {anchor_scores[1]:.3f} |")
    print(
        f"| reported pairs the sample does not list that share a {VERBATIM_RUN}-word verbatim run"
        f" | {extra[0]} | {extra[1]} |"
    )
    corrected = [_pair_scores(pairs, r, e)[1] for r, e in ((ours, extra[0]), (best[2], extra[1]))]
    print(f"| pair precision, those counted as right | {corrected[0]:.3f} | {corrected[1]:.3f} |")
    print(f"| annotated characters covered | {covered / total:.3f} | no passages |")
    print(f"| time (index + audit) | {ours.seconds:.2f} s | {best[2].seconds:.2f} s |")


VERBATIM_RUN = 25  # words: no two texts share this many words in a row by chance


def _shares_run(a: str, b: str) -> bool:
    return bool(_grams(_plain_words(a), VERBATIM_RUN) & _grams(_plain_words(b), VERBATIM_RUN))


def _pair_scores(pairs: set[tuple[str, ...]], run: Run, also_right: int = 0) -> tuple[float, float]:
    """Pair recall and precision; ``also_right`` reported pairs outside ``pairs`` are right."""
    reported = {(s, src) for s, found in run.found.items() for src in found}
    right = len(reported & pairs)
    precision = (right + also_right) / len(reported) if reported else 0.0
    return right / len(pairs), precision


def _overlap(span: tuple[int, int], passages: list[tuple[int, int]]) -> int:
    """Characters of ``span`` inside the union of ``passages``."""
    covered = 0
    cursor = span[0]
    for start, end in sorted(passages):
        start, end = max(start, cursor), min(end, span[1])
        if end > start:
            covered += end - start
            cursor = end
    return covered


# --------------------------------------------------------------------------- command line


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--articles", type=Path, default=BENCH / "article-extraction-benchmark")
    parser.add_argument("--clough", type=Path, default=BENCH / "clough-stevenson")
    parser.add_argument("--pan", type=Path, default=BENCH / "pan13-text-alignment-no-obfuscation")
    parser.add_argument(
        "--corpus",
        action="append",
        choices=("articles", "clough", "pan"),
        help="run only this corpus (repeatable; default: all three)",
    )
    parser.add_argument("--cases", type=int, default=25, help="cases of each kind (default 25)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    chosen = args.corpus or ["articles", "clough", "pan"]
    runs: dict[str, Callable[[], None]] = {
        "articles": lambda: articles_benchmark(args.articles, args.cases, args.seed),
        "clough": lambda: clough_benchmark(args.clough),
        "pan": lambda: pan_benchmark(args.pan),
    }
    for name in chosen:
        runs[name]()


if __name__ == "__main__":
    main()
