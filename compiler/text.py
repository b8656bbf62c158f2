"""Text normalisation for matching. Output always keeps the text as written."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_TRANSLATE = {
    **_INVISIBLE,
    **dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\t\r\n\v\f"), " "),
    **dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032\u00b4`"), "'"),
    **dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u2033"), '"'),
    **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-"),
}

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "i": 1, "ii": 2, "iii": 3, "iv": 4,
    "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
}


def tidy(text: str) -> str:
    """Text as written (quotes, dashes, non-breaking spaces kept), zero-width characters removed
    and runs of ordinary white space collapsed."""
    return re.sub(r"[ \t\r\n\f\v]+", " ", text.translate(_ZERO_WIDTH)).strip(" \t\r\n\f\v")


_NON_WORD = re.compile(r"[^\w\s]")
_SPACES = re.compile(r"\s+")
_ID_SEPARATORS = re.compile(r"[\s_\-]")


@lru_cache(maxsize=200_000)
def normal(text: str) -> str:
    """The matching key of a name: case, spacing, punctuation, quotes, `&`/`and` folded."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).casefold()
    text = text.replace("&", " and ").replace("+", " and ")
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()


@lru_cache(maxsize=200_000)
def id_key(text: str) -> str:
    """The matching key of an identifier: `ab 3`, `AB-3`, `ab_3` all give `AB3`."""
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).upper()
    return _ID_SEPARATORS.sub("", text).rstrip(".:;,)").lstrip("(")


def slug(text: str) -> str:
    """A stable identifier from a name: lowercase, non-alphanumerics to single hyphens."""
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLATE))
    text = text.encode("ascii", "ignore").decode().lower().replace("&", " and ")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def number_from_word(token: str) -> int | None:
    token = token.strip().casefold()
    if token.isdigit():
        return int(token)
    return NUMBER_WORDS.get(token)


_ABBREVIATION = re.compile(r"^(?P<name>.*\S)\s*\((?P<abbr>[A-Z][A-Za-z0-9&\-]{1,14})\)\s*$")


def split_abbreviation(name: str) -> tuple[str, str | None]:
    """`County Drug and Alcohol Strategy (CDAS)` -> (`County Drug and Alcohol Strategy`, `CDAS`)."""
    m = _ABBREVIATION.match(name.strip())
    if not m:
        return name.strip(), None
    abbr = m.group("abbr")
    if sum(ch.isupper() for ch in abbr) < 2:
        return name.strip(), None
    return m.group("name").strip(), abbr
