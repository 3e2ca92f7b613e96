"""Licence lines: a Creative Commons licence named by name, URL (also a link's target) or SPDX
id, or a statement that the text is in the public domain.

One claim per licence per line; ``text`` is the line, ``license`` the SPDX id, ``url`` the
licence's URL where the line links to it. "Under a Creative Commons license" names no licence
(its terms could be any), so it is no licence claim unless it links to one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..licences import UNNAMED_CC, Licence, licence_mentions, parse_licence
from ..models import Claim
from .lines import claim_lines


def license_claims(text: str, links: Iterable[Claim] = ()) -> Iterator[Claim]:
    """The licences each line of ``text`` names, in order; ``links`` are the text's link
    claims, whose targets may be licences ("under a <a href=…/by-nd/4.0/>Creative Commons
    license</a>")."""
    linked: list[tuple[Claim, Licence]] = []
    for link in links:
        licence = parse_licence(link.url) if link.url and "//" in link.url else None
        if licence and licence.spdx != UNNAMED_CC:
            linked.append((link, licence))
    for (start, end), line in claim_lines(text):
        found: dict[str, str | None] = {}  # SPDX id -> URL
        for (first, last), licence in licence_mentions(line):
            mention = line[first:last]
            url = mention if "//" in mention else None
            found[licence.spdx] = found.get(licence.spdx) or url
        for link, licence in linked:
            if start <= link.span[0] < end:
                found[licence.spdx] = found.get(licence.spdx) or link.url
        for spdx, url in found.items():
            yield Claim("license", line, (start, end), license=spdx, url=url)
