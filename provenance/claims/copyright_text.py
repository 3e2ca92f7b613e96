"""How copyright statements are written: their markers and years, and a line as a statement is
read from it, without comment marks, markup, character references, string escapes and Markdown
links.

Copyright lines are found in prose, but also in source headers (``# Copyright``, `` * (c)``,
``%%Copyright:``), HTML and man pages left in a text file, and string literals; what surrounds
the statement there is not part of its holder.
"""

from __future__ import annotations

import html
import re

YEAR = r"(?:19|20)\d\d"
# A year, a range ("2015-2019", "2015-19", "1997-8", "2014-present").
YEARS = rf"{YEAR}(?:\s*[-\u2013/]\s*(?:(?:19|20)?\d\d?|present|now|today))?(?![\w@]|[-/.]\d)"
# A year left for the user to fill in: "[YEAR]", "<insert year>", "YYYY".
YEAR_PLACEHOLDER = r"\[(?:year|yyyy)\]|<(?:insert\s+)?(?:the\s+)?(?:year|yyyy)>|\byyyy\b"
# "Copyright", "Copr.", "(C)opyright", an SPDX tag; not "fa-copyright" or "Copyright.txt".
WORD = (
    r"(?<![\w./-])(?:\(c\)opyright|copyright(?:ed)?|copr\b\.?|opyright)(?![\w-]|\.\w)"
    r"|\bSPDX-FileCopyrightText\b:?"
)
# "©", "(©)", and "(c)" where it is no function call or list item of a word ("3(c)", "f(c)").
SIGN = r"\(©\)|©|(?:(?<![\w)])|(?<=copyright))\(c\)"
MARKER = re.compile(rf"{WORD}|{SIGN}", re.I)
# A sign and years after a holder: "Copyright base-x contributors (c) 2016".
DATE = re.compile(rf"(?:{SIGN})\s*{YEARS}(?:\s*,\s*{YEARS})*[\s.,;]*(?=$|all\s+rights)", re.I)

# Markup that wraps a statement without being part of it. Only real HTML/DocBook tag names:
# "<Ciaran Jessup>" or "<2010-2012>" are placeholders around a name, kept as words.
_TAG = re.compile(
    r"</?(?:a|abbr|b|big|br|center|cite|code|dc:\w+|dd|div|dl|dt|em|font|footer|h[1-6]|i|li|"
    r"o:\w+|ol|p|para|pre|s|small|span|strong|sub|sup|table|td|th|title|tr|tt|u|ul)"
    r"(?:\s[^<>]*)?/?>|<!--|-->",
    re.I,
)
_MARKDOWN_LINK = re.compile(r"\[([^\[\]]*)\]\([^()\s]*\)")
# Escapes and format codes of string literals ("Copyright (C) %d Foo\n"), groff's \(co sign.
_ESCAPE = re.compile(r"\\[ntr]|%[ds]\b|\$\{[^{}]*\}|\{\{[^{}]*\}\}")
# The sign escaped: groff's \(co, a byte escape (\A9, \xa9, \251, <A9>), a Unicode escape.
_ESCAPED_SIGN = re.compile(r"\\\(co\b|\\(?:x|u00)?a9\b|\\251|<a9>", re.I)
# Comment and quotation marks before a statement: "#", "//", " * ", "%%", "--", "dnl", ";".
_LEADER = re.compile(r"(?:[\s#*/;!|>%'\"`=_-]|\bdnl\b|\brem\b|@c\b|\.\\\")*", re.I)


def vocabulary(words: str) -> frozenset[str]:
    """A set of words written as one string, for the word lists of the claims modules."""
    return frozenset(words.split())


def plain(line: str) -> str:
    """``line`` with markup, references, escapes and leading comment marks turned into the
    words a reader sees; the words keep their order."""
    line = _ESCAPED_SIGN.sub("©", line).replace('\\"', '"')
    if "&" in line:
        line = html.unescape(line)
    if "<" in line:
        line = _TAG.sub(" ", line)
    if "](" in line:
        line = _MARKDOWN_LINK.sub(r"\1 ", line)
    line = _ESCAPE.sub(" ", line).replace("\r", " ").replace("\n", " ")
    leader = _LEADER.match(line)
    line = line[leader.end() :] if leader else line
    return line.rstrip(" \t*/#|_\\")
