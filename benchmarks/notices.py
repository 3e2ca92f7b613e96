"""Notices benchmark: does `provenance notices` find copyright statements and their holders,
and stay quiet where there are none?

Data: ScanCode's copyright-detection test cases for .txt and .html inputs (each input file has a
same-named .yml listing the `copyrights`, `holders` and `authors` ScanCode must report). The real
command runs once over the whole folder (.yml files are reported as skipped); the anchor, a
one-line "Copyright ..." regular expression, reads the same files.

    python benchmarks/notices.py                          # default location
    python benchmarks/notices.py DATASET --show-misses 20

Prints a Markdown table (recorded in benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from provenance.extract import Unreadable, read_text

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / ".." / "shared" / "bench" / "scancode-copyrights"

MATCHING = (
    "An expected holder is found when a holder reported for the same file has the same words:"
    ' case, accents and punctuation aside (ScanCode writes holders in ASCII, "Moller" for'
    ' "Möller", "(r)" for "®", and often drops commas); each reported holder finds at'
    " most one expected holder. The loose figure also counts an expected holder found when its"
    " words are a run of the reported holder's words, or the other way round."
)

# The naive baseline: a line whose first word is "Copyright", optional "(c)"/"©" and years,
# and the rest of the line as the holder.
ANCHOR = re.compile(
    r"^\W*copyright\b(?:\s*(?:\(c\)|©))?[\s:]*"
    r"(?:\d{4}(?:\s*[-,]\s*\d{2,4})*[\s.,]*)?(?:by\s+)?(?P<holder>[^\n]*)",
    re.I | re.M,
)
_ALL_RIGHTS = re.compile(r"\ball\s+rights\s+reserved\b.*", re.I)


# ScanCode keeps, in folders of this name, what it reports on junk today ("(c) (c) SS" has
# the holder "SS") so that its tests notice any change; those are not names to find.
RECORDED_JUNK = "to_improve"


@dataclass(frozen=True)
class Case:
    name: str  # the input's path relative to the dataset
    holders: tuple[str, ...]
    clean: bool  # ScanCode expects no copyright and no holder

    @property
    def recorded_junk(self) -> bool:
        return RECORDED_JUNK in Path(self.name).parts


@dataclass
class Run:
    """What one detector reported: input name -> holders (``None`` for a statement without one),
    and the time it took."""

    reported: dict[str, list[str | None]]
    seconds: float


def load_cases(folder: Path) -> list[Case]:
    cases = []
    for expectation in sorted(folder.rglob("*.yml")):
        data = yaml.safe_load(expectation.read_text(encoding="utf-8")) or {}
        holders = tuple(data.get("holders") or ())
        clean = "copyrights" in data.get("what", ()) and not data.get("copyrights") and not holders
        name = expectation.relative_to(folder).as_posix().removesuffix(".yml")
        cases.append(Case(name, holders, clean))
    return cases


def run_provenance(folder: Path) -> Run:
    """`provenance notices FOLDER`, the real command in a subprocess."""
    started = time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-m", "provenance", "notices", str(folder)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    seconds = time.perf_counter() - started
    reported: dict[str, list[str | None]] = {}
    for path, document in json.loads(output).items():
        name = Path(path).resolve().relative_to(folder.resolve()).as_posix()
        reported[name] = [c["holder"] for c in document["copyrights"]]
    return Run(reported, seconds)


def run_anchor(folder: Path, cases: list[Case]) -> Run:
    started = time.perf_counter()
    reported: dict[str, list[str | None]] = {}
    for case in cases:
        try:
            text = read_text(folder / case.name)
        except Unreadable:
            continue
        holders: list[str | None] = []
        for match in ANCHOR.finditer(text):
            holder = _ALL_RIGHTS.sub("", match.group("holder")).strip(" .,;:")
            holders.append(holder or None)
        reported[case.name] = holders
    return Run(reported, time.perf_counter() - started)


def normalise(holder: str) -> str:
    """A holder's words, lower case, in ASCII, separated by single spaces."""
    folded = holder.replace("ł", "l").replace("Ł", "L").replace("®", "(r)")
    decomposed = unicodedata.normalize("NFKD", folded)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"[^\W_]+", ascii_only.casefold()))


def same_words(expected: str, reported: str) -> bool:
    """Both normalised: equal strings are the same words."""
    return expected == reported


def words_contained(expected: str, reported: str) -> bool:
    if not (expected and reported):
        return False
    return f" {expected} " in f" {reported} " or f" {reported} " in f" {expected} "


def found_holders(
    case: Case, run: Run, same: Callable[[str, str], bool]
) -> tuple[list[str], list[str]]:
    """The expected holders of ``case`` the run found, and those it missed."""
    unused = [normalise(h) for h in run.reported.get(case.name, []) if h]
    found, missed = [], []
    for holder in case.holders:
        wanted = normalise(holder)
        hit = next((i for i, h in enumerate(unused) if same(wanted, h)), None)
        if hit is None:
            missed.append(holder)
        else:
            found.append(holder)
            del unused[hit]
    return found, missed


@dataclass(frozen=True)
class Scores:
    found: int
    loose: int
    expected: int
    found_real: int  # outside the recorded junk
    loose_real: int
    expected_real: int
    quiet: int
    clean: int
    seconds: float


def score(cases: list[Case], run: Run) -> Scores:
    with_holders = [c for c in cases if c.holders]
    real = [c for c in with_holders if not c.recorded_junk]
    clean = [c for c in cases if c.clean]

    def found(chosen: list[Case], same: Callable[[str, str], bool]) -> int:
        return sum(len(found_holders(c, run, same)[0]) for c in chosen)

    return Scores(
        found(with_holders, same_words),
        found(with_holders, words_contained),
        sum(len(c.holders) for c in with_holders),
        found(real, same_words),
        found(real, words_contained),
        sum(len(c.holders) for c in real),
        sum(1 for c in clean if not run.reported.get(c.name)),
        len(clean),
        run.seconds,
    )


def percent(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f} %)" if whole else "-"


def print_table(cases: list[Case], ours: Scores, anchor: Scores) -> None:
    some = sum(1 for c in cases if c.holders)
    real = sum(1 for c in cases if c.holders and not c.recorded_junk)
    print(f"\n### ScanCode copyright cases: {len(cases)} cases\n")
    print(f"{MATCHING}\n")
    print("| measure | cases | provenance | anchor (one-line regex) |")
    print("|---|---|---|---|")
    print(
        f"| expected holders found (same words) | {some} |"
        f" {percent(ours.found, ours.expected)} | {percent(anchor.found, anchor.expected)} |"
    )
    print(
        f"| expected holders found (loose: one's words contain the other's) | {some} |"
        f" {percent(ours.loose, ours.expected)} | {percent(anchor.loose, anchor.expected)} |"
    )
    print(
        f"| expected holders found (same words), without `{RECORDED_JUNK}/` | {real} |"
        f" {percent(ours.found_real, ours.expected_real)} |"
        f" {percent(anchor.found_real, anchor.expected_real)} |"
    )
    print(
        f"| expected holders found (loose), without `{RECORDED_JUNK}/` | {real} |"
        f" {percent(ours.loose_real, ours.expected_real)} |"
        f" {percent(anchor.loose_real, anchor.expected_real)} |"
    )
    print(
        f"| clean cases with no copyright reported | {ours.clean} |"
        f" {percent(ours.quiet, ours.clean)} | {percent(anchor.quiet, anchor.clean)} |"
    )
    print(f"| time | | {ours.seconds:.2f} s | {anchor.seconds:.2f} s |")
    print(
        f"\nThe `{RECORDED_JUNK}/` cases record what ScanCode reports on junk today, not names:"
        f' {some - real} cases expecting holders such as "SS" for "(c) (c) SS".'
    )


def print_misses(cases: list[Case], run: Run, count: int) -> None:
    """A sample of provenance's misses and false alarms, to see what to work on."""
    misses = []
    for case in cases:
        if case.holders:
            _, missed = found_holders(case, run, same_words)
            if missed:
                misses.append((case, missed))
    print(f"\n#### Missed holders: {len(misses)} cases (first {count})\n")
    for case, missed in misses[:count]:
        reported = run.reported.get(case.name, [])
        print(f"- {case.name}: expected {missed!r}, reported {reported!r}")
    alarms = [c for c in cases if c.clean and run.reported.get(c.name)]
    print(f"\n#### False alarms on clean cases: {len(alarms)} cases (first {count})\n")
    for case in alarms[:count]:
        print(f"- {case.name}: reported {run.reported[case.name]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("dataset", type=Path, nargs="?", default=DATASET)
    parser.add_argument(
        "--show-misses", type=int, default=0, metavar="N", help="list N misses and false alarms"
    )
    args = parser.parse_args()
    cases = load_cases(args.dataset)
    if not cases:
        sys.exit(f"no cases (.yml files) under {args.dataset}")
    ours = run_provenance(args.dataset)
    anchor = run_anchor(args.dataset, cases)
    print_table(cases, score(cases, ours), score(cases, anchor))
    if args.show_misses:
        print_misses(cases, ours, args.show_misses)


if __name__ == "__main__":
    main()
