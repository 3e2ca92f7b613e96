"""Who a copyright statement names: the words after its markers and years, up to where the
statement ends ("All rights reserved", the end of its sentence, the licence text after it),
without e-mail addresses, links and years.

The conventions are ScanCode's: "Copyright (c) 1992 David Giller, rafetmad@oxy.edu 1994, 1995
Eberhard Moenkeberg" names "David Giller, Eberhard Moenkeberg"; a holder keeps its own
punctuation ("RFE/RL, Inc", "Thomas G. Lane, Part of the Independent JPEG Group's").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from .copyright_text import DATE, MARKER, YEAR, YEAR_PLACEHOLDER, YEARS, vocabulary

_MAX_WORDS = 60  # a holder is a name, not a page: this bounds the work per statement
_MAX_CHARS = 300  # and so do its characters: one "word" may be a page without a space
_MAX_TRIMS = 8  # rounds of trimming a holder's end ("Jane (jd) and" …): a name needs a few

_WORD_RE = re.compile(r"\S+")
RESERVED_BY = re.compile(r"all\s+rights\s+reserved\s+by\s", re.I)
RESERVED = re.compile(
    r"(?:all\s+)?rights\s+reserved|all\s+rights\b|alle\s+rechte|tous\s+droits"
    r"|todos\s+los\s+derechos|derechos\s+reservados|diritti\s+riservati",
    re.I,
)
# Words that start what follows a statement: licence text, a new sentence about the work, a
# republication credit, contact details.
_STOP = vocabulary(
    """licensed license licence licenses licences licensing released permission permissions
    licenced redistribution redistributions see version this these those that which who whose
    where when if unless subject provided written based derived modified contributed
    originally published republished reprinted reproduced used reserved agreement warranty
    warranties disclaimer please contact email e-mail homepage website portions updated
    created generated powered designed developed maintained visit with adapted improved copyleft
    under"""
)
# Verbs and the like that end a name when written in lower case ("Will" may be a first name).
_STOP_LOWER = vocabulary(
    """is are was were be been has have had may must shall should will would can could does do
    did not"""
)
# Abbreviations after which a capitalised word goes on with the same name ("Dr. Johann",
# "St. Louis", "Pvt. Ltd."), and company forms that follow another ("Comm Corp. Ltd.").
_TITLES = vocabulary("dr mr mrs ms prof st ste mt jr sr pvt pty co no nr vs ph")
_COMPANY = vocabulary("ltd limited inc incorporated llc corp corporation co gmbh ag plc pty sa bv")
# Links of a page footer after its copyright: "© 2009 Google - Privacy Policy - Terms".
_NAVIGATION = vocabulary(
    """privacy terms about contact contacts sitemap cookies cookie imprint impressum legal
    accessibility help feedback advertise advertising careers jobs subscribe newsletter home"""
)
_SEPARATORS = frozenset("|\u00b7\u2022")  # always between items, never inside a name
_DASHES = frozenset("-\u2013\u2014")
# Words that go on with an organisation's name on the next line ("the Free" / "Software
# Foundation", "ActiveState" / "Corporation").
ORGANISATION = vocabulary(
    """software foundation corporation company inc incorporated ltd limited llc gmbh ag
    university institute project group team labs laboratories laboratory systems technologies
    association consortium society council authors contributors developers"""
)
CONNECTORS = vocabulary(
    "and & of the by for und et or and/or from at de du des van von der den y e"
)

# An address starts where its run of characters starts (the look-behinds): tried from every
# character of a long run, each try reading to the run's end, the search takes time quadratic
# in the run's length.
EMAIL = re.compile(
    r"[<(\[]\s*(?:mailto:)?[^\s<>()\[\]]+@[^\s<>()\[\]]+\s*[>)\]]"
    r"|(?<![^\s<>()\[\],;:])(?:mailto:)?[^\s<>()\[\],;:]+@[^\s<>()\[\],;]+\w"
    r"|(?<!\S)\S+\s*[\[(<]?\bat\b[\])>]?\s*\S+\s*[\[(<]?\bdot\b[\])>]?\s*\w+"
    r"|\(\s*[\w.-]+\s+at\s+[\w-]+(?:\.[\w-]+)+\s*\)",
    re.I,
)
_URL = re.compile(
    r"[<(\[]\s*(?:(?:https?|ftp)://|www\.)[^\s<>()\[\]]*\s*[>)\]]"
    r"|(?:(?:https?|ftp)://|\bwww\.)[^\s<>()\[\]]*"
    r"|\(\s*[\w-]+(?:\.[\w-]+)+/?\s*\)",
    re.I,
)
_YEARS_IN_NAME = re.compile(rf"(?<![\w.])(?:{YEARS}|{YEAR_PLACEHOLDER})\s*,?", re.I)
_SPACE_BEFORE_COMMA = re.compile(r"\s+,")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|<\s*>|\[\s*\]")
# A name in angle brackets: "<Ciaran Jessup>", "Eric Paris <Red Hat Inc>".
_BRACKETED_NAME = re.compile(r"<\s*([A-Z][\w .,&'-]*)>")
_QUOTES = re.compile(r"[\"\u201c\u201d\u00ab\u00bb]")
# What is left of a date or a year list before a name: "-24 John", "01, 03, 06 Ralf".
_LEADING_NUMBERS = re.compile(r"^(?:[-\u2013,\s]*\d+[a-z]?\b)+[\s,.-]*")
# A program or a handle after a name: "Gilles Vollant (minizip)"; an acronym stays ("(CIP4)").
_TRAILING_NICKNAME = re.compile(r"\s*\((?![A-Z\d]+\)|-?(?:s|es|ies)\))[^()\s]+\)$")
_TRAILING_CONNECTOR = re.compile(r"\s+(?:and|or|&|with|by|from)$", re.I)
# What ends a holder without being part of it: the IETF's "and the persons identified as the
# document authors", "and other parties", a date ("5 Jan"), a token of garbled text ("i9k''3").
_TRAILING_NOISE = re.compile(
    r"\s+and\s+the\s+persons\s+identified\s+as\s+(?:the\s+)?document\s+authors$"
    r"|\s+and\s+other\s+parties$"
    r"|\s+\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*$"
    r"|\s+\S*\d\S*['\"]\S*$",
    re.I,
)
# An acronym after the name it abbreviates: "On-Line Applications Research Corporation (OAR)".
_TRAILING_ACRONYM = re.compile(r"\s*\(([A-Z]{2,8})\)$")
_EDGES = " \t,;:-\u2013\u2014/|<>\"'`"
_CODE = re.compile(r"[{}=;$\\^|*<>]|\w\((?!-?(?:s|es|ies)\))")
# Holders named as a group: "the respective authors", "the contributors" (not "its authors":
# "This project is copyright its authors and licensed …" is prose).
_COLLECTIVE = re.compile(
    r"the\s+(?:respective\s+|original\s+)?(?:authors|contributors|developers)",
    re.I,
)
_CAMEL_HUMP = re.compile(r"[a-z][A-Z]")
# The shape of a word as names are written (A upper case, a lower case): "Smith", "McNie",
# "JBoss", "iPhone", "IBM", "Šegan"; not "AAeI" or "QuGU".
_PROPER = re.compile(r"(?:A+a*|a+)(?:Aa+)*|a+A+")


@dataclass(frozen=True)
class Taken:
    """The words of a holder as written, where in the line they end, and why: ``end`` (the
    line ran out, the holder may go on on the next line), ``stop`` (the statement ended) or
    ``marker`` (another statement starts)."""

    text: str
    end: int
    reason: str


def take(line: str, start: int) -> Taken:
    """The holder's words in ``line`` from ``start`` up to where the statement ends."""
    words = list(islice(_WORD_RE.finditer(line, start), _MAX_WORDS))
    i = 0
    while i < len(words):
        word = words[i]
        at, token = word.start(), word.group()
        bare = token.strip("()[],.;:\"'").lower()
        if MARKER.match(line, at):
            date = DATE.match(line, at)
            if date:  # "Copyright base-x contributors (c) 2016": the statement's own date
                return Taken(line[start : date.end()], date.end(), "stop")
            return Taken(line[start:at], at, "marker")
        if RESERVED.match(line, at):
            by = RESERVED_BY.match(line, at)
            if not by:
                return Taken(line[start:at], at, "stop")
            # "All rights reserved by Amalasoft Corporation" names the holder after it.
            start = by.end()
            while i < len(words) and words[i].start() < start:
                i += 1
            continue
        if bare in _STOP or (bare in _STOP_LOWER and token.strip("(").islower()):
            return Taken(line[start:at], at, "stop")
        if token == "by" and i > 0 and words[i - 1].group().endswith(","):
            return Taken(line[start:at], at, "stop")  # "SnapGear, by Paul Dale": its author
        if token.endswith(";") and not _closes_literal(token[:-1]):
            return Taken(line[start : word.end() - 1], word.end(), "stop")
        if (token.endswith(":") and token.strip("(:").isalpha()) or _closes_literal(token):
            return Taken(line[start:at], at, "stop")
        if i > 0 and _address(token, words[i - 1].group()):
            return Taken(line[start:at], at, "stop")
        following = words[i + 1].group() if i + 1 < len(words) else ""
        if token in _SEPARATORS or (
            token in _DASHES and following.strip(".,").lower() in _NAVIGATION
        ):
            return Taken(line[start:at], at, "stop")
        if _ends_sentence(token, following):
            return Taken(line[start : word.end()], word.end(), "stop")
        i += 1
    if len(words) == _MAX_WORDS:
        return Taken(line[start : words[-1].end()], words[-1].end(), "stop")
    return Taken(line[start:], len(line), "end")


def _address(token: str, previous: str) -> bool:
    """A street number after a name: "Free Software Foundation, Inc., 675 Mass Ave"."""
    return (
        token.isdigit()
        and previous[-1] in ",."
        and any(c.isalpha() for c in previous)
        and not re.fullmatch(YEAR, token)
    )


def _closes_literal(token: str) -> bool:
    """``")``, ``",`` and the like: the string literal holding the statement ends."""
    return bool(re.match(r"[\"'][),;\]]|[\"']$", token)) or any(c in token for c in "{}=;|\\")


def _ends_sentence(token: str, following: str) -> bool:
    """``token`` ends a sentence and ``following`` starts a new one ("Inc. Republished")."""
    if not token.endswith(".") or token.endswith("..") or not following:
        return False
    if not (following[0].isupper() or following[0] in "\"'("):
        return False
    core = token.rstrip(".").lstrip("(\"'")
    if following.rstrip(".,").lower() in _COMPANY:
        return False
    return len(core) > 1 and "." not in core and core.lower() not in _TITLES


def ends_open(text: str) -> bool:
    """Whether a holder's words so far leave it open to the next line: nothing yet, or a
    trailing "and", "of", "by", comma …"""
    words = text.split()
    if not words:
        return True
    last = words[-1]
    return last.endswith((",", "-", "&")) or last.lower() in CONNECTORS


def tidy(text: str) -> str | None:
    """A holder from its words as written (their first ``_MAX_CHARS`` characters): e-mail
    addresses, links, years and the punctuation around them removed; ``None`` when nothing is
    left."""
    text = text[:_MAX_CHARS]
    without_emails = EMAIL.sub(" ", text)
    # When only an address is left, it is the holder: "(c) 2005 jane.roe at example dot com".
    text = _QUOTES.sub(" ", without_emails if re.search(r"[^\W\d_]", without_emails) else text)
    text = _BRACKETED_NAME.sub(r" \1 ", text)
    without_links = _URL.sub(" ", text)
    # When only a link is left, the holder is a site: "(c) 2004-2009 http://www.pudn.com/".
    letters = re.search(r"[^\W\d_]", without_links)
    text = without_links if letters else text.strip(" .,;:()<>[]")
    text = _EMPTY_BRACKETS.sub(" ", _YEARS_IN_NAME.sub(" ", text))
    text = " ".join(text.split())
    text = _SPACE_BEFORE_COMMA.sub(",", text).replace("( ", "(")
    text = _balance(text)
    text = _LEADING_NUMBERS.sub("", text)
    for _ in range(_MAX_TRIMS):
        previous = text
        text = _TRAILING_NICKNAME.sub("", _TRAILING_NOISE.sub("", _without_acronym(text)))
        text = _TRAILING_CONNECTOR.sub("", text).strip(_EDGES).rstrip(".").strip(_EDGES)
        if text == previous:
            break
    if text.lower().startswith("by "):
        text = text[3:]
    return text or None


def _without_acronym(text: str) -> str:
    """``text`` without a trailing acronym of its own words (their initials, in order)."""
    acronym = _TRAILING_ACRONYM.search(text)
    if not acronym:
        return text
    initials = iter(w[0].upper() for w in re.split(r"[\s-]+", text[: acronym.start()]) if w)
    spelled = all(letter in initials for letter in acronym.group(1))  # a subsequence
    return text[: acronym.start()] if spelled else text


def _balance(text: str) -> str:
    """Cut at an opening bracket that is never closed ("Jeffrey (MIT" -> "Jeffrey"), drop a
    closing one that was never opened."""
    depth = 0
    opened: list[int] = []
    for i, char in enumerate(text):
        if char == "(":
            opened.append(i)
            depth += 1
        elif char == ")":
            if depth:
                opened.pop()
                depth -= 1
            else:
                text = text[:i] + " " + text[i + 1 :]
    if opened:
        text = text[: opened[0]]
    return text.strip()


def plausible(holder: str) -> bool:
    """Whether a holder is made of words at all (not code or a template placeholder)."""
    letters = sum(c.isalpha() for c in holder)
    return letters >= 2 and not _CODE.search(holder)


def _shape(part: str) -> str:
    return "".join("A" if c.isupper() else "a" for c in part)


def name_like(holder: str, prose: frozenset[str]) -> bool:
    """Whether ``holder`` reads as a name: capitalised, no word garbled or code-like, not
    starting with one of the ``prose`` words that follow "copyright" in sentences about it."""
    if not plausible(holder):
        return False
    words = [w.strip(",.()'\"") for w in holder.split()]
    words = [w for w in words if w]
    if _COLLECTIVE.fullmatch(" ".join(words)):
        return True
    if not words or words[0].lower() in prose:
        return False
    lead = words[1] if words[0].lower() == "the" and len(words) > 1 else words[0]
    if not (lead[0].isdigit() or any(c.isupper() for c in lead[:4])):  # "Smith", "lowRISC"
        return False
    for word in words:
        for part in re.split(r"[\W\d_]+", word):
            if part and not _PROPER.fullmatch(_shape(part)):
                return False
    if all(len(_CAMEL_HUMP.findall(w)) >= 2 for w in words):
        return False  # "VirtualDiskManager NewVirtualDiskManager": identifiers, not names
    return any(len(w) >= 4 for w in words)
