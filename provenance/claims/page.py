"""Claims an HTML page makes outside its main text: the copyright, credit and licence lines of
its footer and asides ("© 2020 Example News", "Content licensed under CC BY 3.0"), and the
links in its credit and licence lines (a copyright footer's links are the site's navigation).

They are the page's, not the article's, so they have no span; ``origin`` is ``page`` for the
lines and ``html`` for the links. Lines of the main text are not repeated (extraction leaves
them out of ``boilerplate``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from ..models import Claim, Document
from .copyright import copyright_claims
from .credits import credit_claims
from .licenses import license_claims


def _line_claims(line: str) -> list[Claim]:
    copyrights = list(copyright_claims(line))
    credits = [] if copyrights else list(credit_claims(line))
    return [*copyrights, *credits, *license_claims(line)]


def page_claims(document: Document) -> Iterator[Claim]:
    """The claims of an HTML page's text outside its main text, in page order."""
    if document.format != "html":
        return
    anchors = [link for link in document.metadata.get("links", ()) if not link.get("span")]
    for line in document.metadata.get("boilerplate", ()):
        claims = _line_claims(line)
        for claim in claims:
            yield replace(claim, span=(0, 0), origin="page")
        if any(claim.kind != "copyright" for claim in claims):
            for link in anchors:
                if link.get("text") and link["text"] in line:
                    yield Claim("link", link["text"], (0, 0), url=link["url"], origin="html")
