"""Licences as the rules compare them: Creative Commons licences, the public domain, other ids.

``parse_licence`` reads one value (an SPDX id, a Creative Commons URL or name, "public
domain"); ``licence_mentions`` finds the licences a running text names. Creative Commons ports
("CC-BY-NC-ND-3.0-US", ``/licenses/by/3.0/igo/``) count as their base licence: the terms are the
same, only the jurisdiction's wording differs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from .models import Span

Family = Literal["cc", "public-domain", "other"]

UNNAMED_CC = "LicenseRef-Creative-Commons"  # "a Creative Commons license": terms not given
PUBLIC_DOMAIN = "LicenseRef-PublicDomain"


@dataclass(frozen=True)
class Licence:
    """A licence: its id, its family, and for Creative Commons its version and terms."""

    spdx: str
    family: Family
    version: str | None = None
    sa: bool = False
    nd: bool = False
    nc: bool = False

    @property
    def pack_id(self) -> str | None:
        """The id rule packs use: ``cc-by-nd-4.0``, ``cc-by-nd`` (no version given), ``cc`` (a
        Creative Commons licence whose terms are not given), ``public-domain``; ``None`` for
        other licences."""
        if self.family == "public-domain":
            return "public-domain"
        if self.family == "cc":
            return "cc" if self.spdx == UNNAMED_CC else self.spdx.lower()
        return None

    @property
    def name(self) -> str:
        """How people write it: "CC BY-ND 4.0", "CC0 1.0", "public domain", or the id."""
        if self.spdx == UNNAMED_CC:
            return "a Creative Commons licence"
        if self.family == "cc":
            terms = self.spdx.removeprefix("CC-").removesuffix(f"-{self.version}")
            return f"CC {terms} {self.version}" if self.version else f"CC {terms}"
        if self.family == "public-domain":
            return _PUBLIC_DOMAIN_NAMES.get(self.spdx, "public domain")
        return self.spdx


_PUBLIC_DOMAIN_NAMES = {"CC0-1.0": "CC0 1.0", "CC-PDM-1.0": "Public Domain Mark 1.0"}
CC0 = Licence("CC0-1.0", "public-domain", "1.0")
PDM = Licence("CC-PDM-1.0", "public-domain", "1.0")


def creative_commons(terms: str, version: str | None) -> Licence:
    """The Creative Commons licence with ``terms`` as written (``by-nc-nd``, ``BY NC ND``,
    ``Attribution-NonCommercial-NoDerivatives``) and ``version``."""
    words = set(re.split(r"[-\s\u2013]+", terms.lower()))
    folded = re.sub(r"[^a-z]", "", terms.lower())
    nc = "nc" in words or "noncommercial" in folded
    sa = "sa" in words or "sharealike" in folded
    nd = ("nd" in words or "noderiv" in folded) and not sa  # no licence has both
    spdx = "CC-BY" + "-NC" * nc + "-SA" * sa + "-ND" * nd + (f"-{version}" if version else "")
    return Licence(spdx, "cc", version, sa=sa, nd=nd, nc=nc)


_VERSION = r"[1-4]\.[015]"  # 2.1 is Japan's port
# A port's jurisdiction after the version: "US", "IGO", "International", "Austria".
_JURISDICTION = r"(?:[-\s]+(?-i:IGO|United\s+States|[A-Z]{2}\b|[A-Z][a-z]+))?"

_CC_ID = re.compile(rf"CC-(BY(?:-(?:NC|ND|SA))*)(?:-({_VERSION})(?:-(?:[A-Z]{{2}}|IGO))?)?", re.I)
_CC0_ID = re.compile(r"CC0(?:-1\.0)?", re.I)
_PUBLIC_DOMAIN_ID = re.compile(r"CC-PDDC|LicenseRef-.*public-?domain.*", re.I)
# An SPDX licence id, or a LicenseRef (optionally in another document).
_ID = re.compile(r"(?:DocumentRef-[\w.-]+:)?[A-Za-z0-9][A-Za-z0-9.+-]*")

_CC_URL = re.compile(
    r"(?:https?:)?//(?:www\.)?creativecommons\.org/"
    rf"(?:licen[sc]es/(?P<terms>by(?:-(?:nc|nd|sa))*)(?:/(?P<version>{_VERSION}))?"
    r"(?:/(?:[a-z]{2}|igo)\b)?|publicdomain/(?P<pd>zero|mark)/1\.0)"
    r"(?:/(?:deed|legalcode)(?:\.[\w-]+)?)?/?",
    re.I,
)
_TERMS = (
    r"Attribution(?:\s*[-\u2013]\s*"
    r"(?:Non[-\s]?Commercial|No[-\s]?Deriv(?:ative)?s|Share[-\s]?Alike))*"
)
# "Creative Commons Attribution-NoDerivatives 4.0 International", "Attribution-ShareAlike 3.0
# Unported": "Creative Commons", or a version, says it is the licence and not the plain word.
_CC_NAME = re.compile(
    rf"Creative\s+Commons\s+(?P<terms>{_TERMS})"
    rf"(?:(?:\s+Licen[cs]e)?\s+(?P<version>{_VERSION}){_JURISDICTION})?"
    rf"|(?P<terms2>{_TERMS})\s+(?P<version2>{_VERSION}){_JURISDICTION}",
    re.I,
)
# "CC BY-ND 4.0", "CC-BY 4.0", "CC BY-NC-ND 3.0 US": the licence's abbreviation, in capitals so
# that "cc by email" is not one.
_CC_ABBREVIATION = re.compile(
    rf"(?-i:\bCC[-\s]+(?P<terms>BY(?:[-\s](?:NC|ND|SA))*)\b)"
    rf"(?:[-\s]+(?P<version>{_VERSION}){_JURISDICTION})?",
    re.I,
)
_CC0_NAME = re.compile(
    r"(?-i:\bCC0\b|\bCC[-\s]Zero\b)(?:[-\s]+1\.0)?(?:\s+Universal)?|\bCreative\s+Commons\s+Zero\b",
    re.I,
)
_PDM_NAME = re.compile(r"\bPublic\s+Domain\s+Mark(?:\s+1\.0)?", re.I)
_UNNAMED_CC = re.compile(r"\bCreative\s+Commons\b", re.I)
_PUBLIC_DOMAIN = re.compile(r"\bpublic\s+domain\b", re.I)
# Words around a licence that still leave a value being just that licence: "a Creative Commons
# license", "Licensed under CC BY 4.0.", "Creative Commons (CC BY-ND 4.0)".
_FILLER = re.compile(
    r"(?:[\W_]|\b(?:a|an|the|this|is|under|licen[sc]ed?|licen[sc]es|terms|of|in|deed|legal\s*code"
    r"|published|released|available|dedicated|to|into|creative\s+commons)\b)*",
    re.I,
)

# In running text "public domain" is often news about it ("Mickey Mouse enters the public
# domain"); only statements about the text itself are licence claims. A bare "Creative Commons"
# ("under a Creative Commons license") names no licence and is not one.
_WORK = r"(?:article|story|stories|work|text|content|material|report|piece|post|transcript)s?"
_PUBLIC_DOMAIN_CLAIM = re.compile(
    rf"(?:^|(?<=[.!?:;]\s))[\W_]*(?:[\w'\u2019-]+\s+){{0,3}}?{_WORK}\s+"
    r"(?:is|are|was|were|has\s+been|have\s+been)\s+(?:[\w-]+\s+){0,2}?(?:in|into|to)\s+"
    r"the\s+public\s+domain\b"
    r"|^\W*(?:released|dedicated)\s+(?:in)?to\s+the\s+public\s+domain\b",
    re.I | re.M,
)
_SPDX_TAG = re.compile(r"SPDX-License-Identifier:\s*([\w.+:-]+)", re.I)


def _from_url(match: re.Match[str]) -> Licence:
    if match.group("pd"):
        return CC0 if match.group("pd").lower() == "zero" else PDM
    return creative_commons(match.group("terms"), match.group("version"))


def _from_terms(match: re.Match[str]) -> Licence:
    found = match.groupdict()
    if found.get("terms2"):
        return creative_commons(found["terms2"], found["version2"])
    return creative_commons(found["terms"], found["version"])


def _from_id(value: str) -> Licence | None:
    if match := _CC_ID.fullmatch(value):
        return creative_commons(match.group(1), match.group(2))
    if value == UNNAMED_CC:
        return Licence(UNNAMED_CC, "cc")
    if _CC0_ID.fullmatch(value):
        return CC0
    if value.upper() == PDM.spdx:
        return PDM
    if _PUBLIC_DOMAIN_ID.fullmatch(value):
        return Licence(value, "public-domain")
    if _ID.fullmatch(value):
        return Licence(value, "other")
    return None


_Reader = tuple[re.Pattern[str], Callable[[re.Match[str]], Licence | None]]
# Names a value may be, most specific first: "Public Domain Mark" before "public domain".
_NAMES: tuple[_Reader, ...] = (
    (_CC_NAME, _from_terms),
    (_CC_ABBREVIATION, _from_terms),
    (_CC0_NAME, lambda _: CC0),
    (_PDM_NAME, lambda _: PDM),
    (_UNNAMED_CC, lambda _: Licence(UNNAMED_CC, "cc")),
    (_PUBLIC_DOMAIN, lambda _: Licence(PUBLIC_DOMAIN, "public-domain")),
)
_MENTIONS: tuple[_Reader, ...] = (
    (_CC_URL, _from_url),
    (_SPDX_TAG, lambda m: parse_licence(m.group(1))),
    *_NAMES[:4],
    (_PUBLIC_DOMAIN_CLAIM, lambda _: Licence(PUBLIC_DOMAIN, "public-domain")),
)


def parse_licence(value: str) -> Licence | None:
    """The licence ``value`` is: an SPDX id (any case; Creative Commons ports count as their
    base licence; ids it does not know, such as ``LicenseRef-…``, are family ``other``), a
    Creative Commons URL, a Creative Commons name ("CC BY-ND 4.0", "Creative Commons
    Attribution-NoDerivatives 4.0 International", "a Creative Commons license"), or "public
    domain". ``None`` when it is none of these."""
    value = value.strip()
    if url := _CC_URL.fullmatch(value):
        return _from_url(url)
    if re.fullmatch(r"\S+", value) and "//" not in value:
        return _from_id(value.rstrip(".,;"))
    for candidate in dict.fromkeys((value, value.upper())):  # names in any case, too
        for pattern, read in _NAMES:
            for match in pattern.finditer(candidate):
                rest = f"{candidate[: match.start()]} {candidate[match.end() :]}"
                if _FILLER.fullmatch(rest):
                    return read(match)
    return None


def licence_mentions(text: str) -> Iterator[tuple[Span, Licence]]:
    """The licences ``text`` names, in order, each with the span of its mention: Creative
    Commons URLs, names and abbreviations, ``SPDX-License-Identifier:`` tags, "under a Creative
    Commons license", and statements that the text is in the public domain ("This article is
    in the public domain"). A mention inside another (a name inside a URL) is not repeated."""
    found: list[tuple[Span, Licence]] = []
    for pattern, read in _MENTIONS:
        for match in pattern.finditer(text):
            licence = read(match)
            if licence is not None:
                found.append((match.span(), licence))
    found.sort(key=lambda item: (item[0][0], -item[0][1]))
    end = -1
    for span, licence in found:
        if span[0] >= end:
            end = span[1]
            yield span, licence
