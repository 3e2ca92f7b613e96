"""``provenance compare`` end to end, on a copy of the demo, and the comparison it reports."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from provenance.compare import compare_files

SEED = "demo/site/content/world/000_d1539334f923b65a.txt"
SEED_SOURCE = "demo/sources/rferl/lukashenka-putin-phone-call.md"
EXCERPT = "demo/site/content/world/georgia-winemakers-excerpt.md"
GEORGIA = "demo/sources/rferl/georgia-qvevri-winemakers.md"
STALE_YEAR = "demo/site/content/world/czech-flood-library.md"
CZECH = "demo/sources/rferl/czech-flood-library.md"
UNRELATED = "demo/site/content/local/riverside-market-reopens.md"

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def edited(demo: Path) -> str:
    """The stale-year copy with a few words changed: replacements, an insertion, a deletion."""
    path = demo / "site/content/world/czech-edited.md"
    text = (demo / "site/content/world/czech-flood-library.md").read_text()
    for old, new in (
        ("rose nearly a meter", "rose almost one meter"),
        ("volunteer for 19 years", "volunteer for 20 years"),
        ("The oldest, dating", "The oldest volume, dating"),
        ("a publisher in Brno sent several boxes", "a publisher in Brno sent boxes"),
    ):
        assert old in text
        text = text.replace(old, new)
    path.write_text(text)
    return "demo/site/content/world/czech-edited.md"


def compare_json(run, a: str, b: str) -> dict:
    result = run("compare", a, b, "--format", "json")
    assert (result.code, result.err) == (0, "")
    return json.loads(result.out)


def lines_of(path: str) -> list[str]:
    return Path(path).read_text(encoding="utf-8").splitlines()


def at(path: str, line: int, column: int) -> str:
    """The original file from ``line``:``column`` to the end of that line."""
    return lines_of(path)[line - 1][column - 1 :]


def before(path: str, line: int, column: int) -> str:
    """The original file's ``line`` up to (not including) ``column``."""
    return lines_of(path)[line - 1][: column - 1]


def test_excerpt_passage_is_located_in_both_files(demo, run):
    report = compare_json(run, EXCERPT, GEORGIA)
    (passage,) = report["passages"]
    target, source = passage["target_location"], passage["source_location"]
    assert (target["line"], target["column"]) == (8, 1)  # after the front matter and the label
    assert (source["line"], source["column"]) == (10, 1)
    assert at(EXCERPT, 8, 1).startswith("In the hills of eastern Georgia's")
    assert at(GEORGIA, 10, 1).startswith("In the hills of eastern Georgia's")
    for path, where in ((EXCERPT, target), (GEORGIA, source)):
        assert before(path, where["end_line"], where["end_column"]).endswith("restaurants abroad")
    assert passage["words"] == 146 and passage["edits"] == 0 and passage["changes"] == []


def test_coverage_is_the_core_comparison_and_the_audit_match(demo, run):
    report = compare_json(run, EXCERPT, GEORGIA)
    core = compare_files(EXCERPT, GEORGIA)
    assert report["source_coverage"] == round(core.source_coverage, 4)
    assert report["target_share"] == round(core.target_share, 4)
    assert 0.25 < core.source_coverage < 0.4 and 0.6 < core.target_share < 0.8
    assert [p["words"] for p in report["passages"]] == [p.passage.words for p in core.passages]
    audit = json.loads(run("audit", EXCERPT, "--sources", "demo/sources", "--format", "json").out)
    (match,) = audit["documents"][0]["matches"]
    assert match["source_coverage"] == report["source_coverage"]
    assert match["target_share"] == report["target_share"]
    terminal = run("compare", EXCERPT, GEORGIA).out
    assert f"{core.source_coverage:.0%} of B's 468 words are in A" in terminal
    assert f"{core.target_share:.0%} of A's 203 words come from B" in terminal


def test_json_spans_slice_the_extracted_texts(demo, run, edited):
    report = compare_json(run, edited, CZECH)
    assert set(report) == {
        "tool",
        "target",
        "source",
        "source_coverage",
        "target_share",
        "passages",
    }
    assert report["target"] == {"path": edited, "format": "markdown", "words": 445}
    assert report["source"] == {"path": CZECH, "format": "markdown", "words": 400}
    (passage,) = report["passages"]
    assert set(passage) == {
        "target",
        "source",
        "words",
        "edits",
        "target_location",
        "source_location",
        "changes",
    }
    core = compare_files(edited, CZECH)
    target_text, source_text = core.target.text, core.source.text
    assert target_text[slice(*passage["target"])].startswith("When a swollen stream")
    assert source_text[slice(*passage["source"])].endswith("We were not ready to let it go")
    for change in passage["changes"]:
        assert target_text[slice(*change["target"])] == change["target_text"]
        assert source_text[slice(*change["source"])] == change["source_text"]
    # the audit's measure: the longer side's words that are not copied ones
    changed = passage["changes"]
    assert passage["edits"] == max(
        sum(len(c["target_text"].split()) for c in changed),
        sum(len(c["source_text"].split()) for c in changed),
    )
    assert passage["edits"] == 4


def test_edits_are_listed_and_located(demo, run, edited):
    (passage,) = compare_json(run, edited, CZECH)["passages"]
    changes = [(c["kind"], c["target_text"], c["source_text"]) for c in passage["changes"]]
    assert changes == [
        ("replace", "almost one", "nearly a"),
        ("replace", "20", "19"),
        ("insert", "volume", ""),
        ("delete", "", "several"),
    ]
    year = passage["changes"][1]
    where = year["target_location"]
    assert at(edited, where["line"], where["column"]).startswith("20 years.")
    where = year["source_location"]
    assert at(CZECH, where["line"], where["column"]).startswith("19 years.")
    assert where["end_column"] - where["column"] == 2


def test_differences_are_marked_side_by_side_without_colour(demo, run, edited):
    result = run("compare", edited, CZECH)
    assert result.code == 0 and result.err == ""
    out = result.out
    assert "\x1b[" not in out  # not a terminal: no colour codes
    assert "{+…+} only in A, [-…-] only in B" in out
    assert "Passage 1 of 1  396 words copied, 4 changes" in out
    rows = [line.split("│") for line in out.splitlines() if line.count("│") == 1]
    left = " ".join(a.strip() for a, _ in rows)
    right = " ".join(b.strip() for _, b in rows)
    for marked in ("{+almost one+}", "{+20+}", "{+volume+}"):
        assert marked in left and marked not in right
    for marked in ("[-nearly a-]", "[-19-]", "[-several-]"):
        assert marked in right and marked not in left
    assert "A 6:1-24:175" in out and "B 10:1-28:175" in out


def test_colour_marks_edits_and_no_color_falls_back_to_brackets(demo, run, edited, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    coloured = run("compare", edited, CZECH).out
    assert "\x1b[1;31malmost" in coloured  # A's words in red, B's in green
    assert "\x1b[1;32mnearly" in coloured
    assert "{+" not in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    plain = run("compare", edited, CZECH).out
    assert not re.search(r"\x1b\[[0-9;]*3[0-9]m", plain)  # bold may stay, colours go
    assert "{+almost one+}" in ANSI.sub("", plain)


def test_verbatim_copy_says_no_change(demo, run):
    out = run("compare", STALE_YEAR, CZECH).out
    assert "400 words copied, no change" in out
    assert "100% of B's 400 words are in A" in out
    assert "{+" not in out and "[-" not in out
    assert "only in A" not in out  # no legend when nothing differs


def test_long_passages_are_shortened_unless_full(demo, run):
    short = run("compare", SEED, SEED_SOURCE).out
    assert "[… 322 identical words …]" in short
    assert "--full shows every word" in short
    assert "BelTA" not in short  # from the middle of the story
    full = run("compare", SEED, SEED_SOURCE, "--full").out
    assert "identical words" not in full and "--full" not in full
    mentions = Path(SEED_SOURCE).read_text().count("BelTA")
    assert mentions and full.count("BelTA") == 2 * mentions  # on both sides
    assert "Lukashenka added" in full and "With reporting by Reuters and AFP" in full


@pytest.fixture
def unwieldy(demo: Path) -> str:
    """A copy under a very long folder name, with a word too long for a column in its passage."""
    folder = demo / ("a-folder-name-" * 8)
    folder.mkdir()
    text = (demo / "site/content/world/czech-flood-library.md").read_text()
    (folder / "copy.md").write_text(text.replace("Neighbors,", "Supercalifragilistic" * 5 + ","))
    return str((folder / "copy.md").relative_to(demo.parent))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (SEED, SEED_SOURCE),
        ("edited", CZECH),
        ("unwieldy", CZECH),
        (EXCERPT, GEORGIA),
        (UNRELATED, CZECH),
    ],
)
def test_output_fits_80_columns(run, edited, unwieldy, monkeypatch, a, b):
    monkeypatch.setenv("COLUMNS", "80")
    a = {"edited": edited, "unwieldy": unwieldy}.get(a, a)
    for extra in ((), ("--full",)):
        out = run("compare", a, b, *extra).out
        assert "Passage" in out or "No copied passage" in out
        assert max(len(line) for line in out.splitlines()) <= 80


def test_no_passage_is_said_plainly(demo, run):
    result = run("compare", UNRELATED, CZECH)
    assert result.code == 0
    assert "No copied passage" in result.out and "passages         0" in result.out
    report = compare_json(run, UNRELATED, CZECH)
    assert report["passages"] == []
    assert report["source_coverage"] == report["target_share"] == 0.0


def test_html_is_extracted_and_located(demo, run):
    body = (demo / "sources/rferl/georgia-qvevri-winemakers.md").read_text().split("---\n")[2]
    paragraphs = "\n".join(f"<p>{p}</p>" for p in body.strip().split("\n\n")[:4])
    page = demo / "page.html"
    page.write_text(
        "<html><head><title>Wine</title></head><body>\n<nav><a href='/'>Home</a></nav>\n"
        f"<article>\n{paragraphs}\n</article>\n<footer>Subscribe</footer></body></html>\n"
    )
    report = compare_json(run, "demo/page.html", GEORGIA)
    assert report["target"]["format"] == "html"
    (passage,) = report["passages"]
    where = passage["target_location"]
    assert at("demo/page.html", where["line"], where["column"]).startswith("In the hills")
    assert report["target_share"] > 0.95 and 0.4 < report["source_coverage"] < 0.5


def test_errors_exit_2_with_one_line_on_stderr(demo, run):
    (demo / "photo.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    (demo / "notes.pdf").write_text("text")
    cases = {
        ("demo/nope.md", CZECH): "no such file: demo/nope.md",
        (CZECH, "demo/nope.md"): "no such file: demo/nope.md",
        ("demo/site", CZECH): "demo/site is a folder; compare takes two files",
        ("demo/photo.md", CZECH): "demo/photo.md: binary file (contains NUL bytes)",
        (CZECH, "demo/notes.pdf"): "demo/notes.pdf: not a text format provenance reads",
    }
    for (a, b), message in cases.items():
        result = run("compare", a, b)
        assert result.code == 2, (a, b)
        assert result.out == ""
        assert result.err.startswith("provenance: ") and message in result.err
        assert len(result.err.strip().splitlines()) == 1
    with pytest.raises(SystemExit) as missing_argument:
        run("compare", CZECH)
    assert missing_argument.value.code == 2


def test_help_explains_a_b_and_exit_codes(run, capsys):
    with pytest.raises(SystemExit) as shown:
        run("compare", "--help")
    assert shown.value.code == 0
    text = capsys.readouterr().out
    assert "A is the text being checked" in text and "B the source" in text
    assert "provenance compare site/content/post.md originals/story.md" in text
    assert "exit codes: 0 the comparison ran" in text and "--full" in text
