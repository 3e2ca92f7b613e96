"""Russian, Chinese, and English salted with look-alike letters, through the whole pipeline."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from provenance.engine import audit
from provenance.extract import extract_file
from provenance.index import open_index
from provenance.indexing import update_index
from provenance.models import AuditResult, DocumentResult
from provenance.normalise import normalise, tokens
from provenance.rules import builtin_packs

from .conftest import DEMO, FIXTURES

PACKS = builtin_packs()
SCRIPTS = FIXTURES / "scripts"

# Cyrillic letters that look like Latin ones, as a salted copy would use them.
CYRILLIC_LOOKALIKES = str.maketrans(
    "aceopxyisjACEOPXYITHKMB",
    "\u0430\u0441\u0435\u043e\u0440\u0445\u0443\u0456\u0455\u0458"
    "\u0410\u0421\u0415\u041e\u0420\u0425\u0423\u0406\u0422\u041d\u041a\u041c\u0412",
)


def run_audit(tmp_path: Path, sources: Path, site: Path) -> AuditResult:
    with open_index(str(tmp_path / "index.sqlite")) as index:
        update_index(index, [str(sources)], PACKS)
        return audit([str(site)], index, PACKS)


def document(result: AuditResult, name: str) -> DocumentResult:
    return next(d for d in result.documents if Path(d.path).name == name)


@pytest.fixture(scope="module")
def scripts(tmp_path_factory: pytest.TempPathFactory) -> AuditResult:
    """The fixture pages audited against the fixture sources (Russian and Chinese)."""
    tmp_path = tmp_path_factory.mktemp("scripts")
    return run_audit(tmp_path, SCRIPTS / "sources", SCRIPTS / "site")


def test_russian_copy_matches_its_source_at_the_copied_passage(scripts: AuditResult) -> None:
    page = document(scripts, "district-news-watermill.md")
    assert [m.source.id for m in page.matches] == ["karelia-watermill.md"]
    (passage,) = page.matches[0].passages
    target = extract_file(SCRIPTS / "site/district-news-watermill.md").text
    copied = target[slice(*passage.target)]
    assert copied.startswith("мельницу построил в 1912 году")
    assert copied.endswith("фотографии из районного музея")
    assert target[: passage.target[0]].endswith("Как рассказали наши читатели, ")
    # the second and third paragraphs of the source, and nothing else
    source = page.matches[0].source.text
    paragraphs = source.split("\n\n")
    assert source[slice(*passage.source)] == "\n\n".join(paragraphs[1:3]).removesuffix(".")
    assert passage.edits == 0
    assert page.matches[0].source_coverage == pytest.approx(
        len(tokens("\n\n".join(paragraphs[1:3]))) / len(tokens(source))
    )


def test_russian_copy_does_not_match_an_unrelated_russian_article(scripts: AuditResult) -> None:
    matched = {m.source.id for d in scripts.documents for m in d.matches}
    assert "tomsk-space-drawings.md" not in matched
    assert scripts.sources_indexed == 3


def test_chinese_copy_matches_its_source_by_characters(scripts: AuditResult) -> None:
    page = document(scripts, "education-briefs.md")
    assert [m.source.id for m in page.matches] == ["yunnan-school-observatory.md"]
    match = page.matches[0]
    source = match.source.text
    copied_paragraphs = "\n\n".join(source.split("\n\n")[1:3])
    expected = len(tokens(copied_paragraphs)) / len(tokens(source))
    assert 0.3 < expected < 0.5  # the fixture copies two of five paragraphs
    assert match.source_coverage == pytest.approx(expected)
    target = extract_file(SCRIPTS / "site/education-briefs.md").text
    copied = "".join(target[slice(*p.target)] for p in match.passages)
    assert copied.startswith("天文台由退休物理教师王建国发起")
    assert copied.endswith("由志愿者花了三天时间安装调试")


def salt(text: str) -> str:
    """``text`` with Cyrillic look-alikes in three words of ten, zero-width spaces inside
    other words and no-break spaces between some of them."""
    out = []
    for n, word in enumerate(text.split(" ")):
        if n % 10 in (1, 4, 7):
            word = word.translate(CYRILLIC_LOOKALIKES)
        elif n % 10 == 5 and len(word) > 3:
            word = f"{word[:2]}\u200b{word[2:]}"
        out.append(word)
    spaces = itertools.cycle([" ", " ", "\u00a0"])
    return "".join(w + next(spaces) for w in out).rstrip()


def test_english_salted_with_lookalikes_and_invisible_characters_matches(tmp_path: Path) -> None:
    article = DEMO / "sources/rferl/kazakhstan-steppe-observatory.md"
    sources = tmp_path / "sources"
    sources.mkdir()
    shutil.copy(article, sources / article.name)
    clean = extract_file(article).text
    salted = salt(clean)
    # the salting changes a good share of the words as normalisation alone sees them
    plain, seen = normalise(clean).text.split(), normalise(salted).text.split()
    assert len(plain) == len(seen)
    assert sum(a != b for a, b in zip(plain, seen, strict=True)) / len(plain) > 0.25
    site = tmp_path / "site"
    site.mkdir()
    (site / "salted.txt").write_text(salted, encoding="utf-8")

    result = run_audit(tmp_path, sources, site)
    (page,) = result.documents
    assert [m.source.id for m in page.matches] == [article.name]
    match = page.matches[0]
    assert match.source_coverage > 0.99 and match.target_share > 0.99
    (passage,) = match.passages
    assert passage.edits == 0
    words = tokens(salted)
    assert passage.target == (words[0].start, words[-1].end)
