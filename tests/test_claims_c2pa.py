from __future__ import annotations

from pathlib import Path

from provenance.claims import find_claims
from provenance.extract import extract_file, extract_html

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "claims"


def wrapper(payload: bytes, magic: bytes = b"C2PATXT\0") -> str:
    """A C2PA text manifest wrapper: U+FEFF, then one variation selector per byte."""
    data = magic + b"\x01" + len(payload).to_bytes(4, "big") + payload
    return "\ufeff" + "".join(chr(0xFE00 + b) if b < 16 else chr(0xE0100 + b - 16) for b in data)


def test_manifest_in_a_text_file() -> None:
    document = extract_file(FIXTURES / "c2pa.txt")
    (claim,) = find_claims(document)
    assert (claim.kind, claim.text, claim.origin) == (
        "c2pa",
        "C2PA text manifest (19 bytes)",
        "text",
    )
    assert document.text[claim.span[0]] == "\ufeff"


def test_manifest_that_extraction_dropped_is_read_from_the_file() -> None:
    story = "The ferry crossed the bay again on Monday morning. " * 12
    html = f"<html><body><article><p>{story}{wrapper(b'x' * 300)}</p></article></body></html>"
    document = extract_html(html, "page.html")
    assert "\ufeff" not in document.text
    claims = [c for c in find_claims(document) if c.kind == "c2pa"]
    assert [(c.text, c.span, c.origin) for c in claims] == [
        ("C2PA text manifest (300 bytes)", (0, 0), "file")
    ]


def test_variation_selectors_without_the_magic_are_not_a_manifest() -> None:
    emoji = "I love it \u2764\ufe0f \ufeff\ufe00\ufe01"
    assert find_claims(emoji) == []
    assert find_claims("Text" + wrapper(b"abc", magic=b"NOTC2PA\0")) == []
