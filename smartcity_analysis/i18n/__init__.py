"""User-facing words in Indonesian (default) and English, and numbers as each reader expects.

Column headers, chart labels, slide titles and every sentence come from :data:`TERMS`; code never
spells a user-facing word itself. ``lang`` is ``"id"`` or ``"en"`` everywhere.

The words live in one module per kind of output (``terms`` for tables and charts,
``sentences`` for the narrative's templates, ``documents`` for the Word documents, ``audit``
for the statistical audit, ``report`` for the notebooks and the HTML report); :data:`TERMS` is
their union, and a key may be defined only once (a test checks).
"""

from __future__ import annotations

import math

from . import audit, documents, report, sentences, terms

LANGS = ("id", "en")

_PARTS = (terms, sentences, documents, audit, report)

#: key -> (Indonesian, English): every user-facing word and sentence template.
TERMS: dict[str, tuple[str, str]] = {}
for _part in _PARTS:
    TERMS.update(_part.TERMS)


def duplicate_keys() -> list[str]:
    """Keys defined in more than one word module (should be none)."""
    seen: dict[str, int] = {}
    for part in _PARTS:
        for key in part.TERMS:
            seen[key] = seen.get(key, 0) + 1
    return sorted(k for k, n in seen.items() if n > 1)

def term(key: str, lang: str = "id") -> str:
    """The word for ``key`` in ``lang``; the key itself when no translation is known."""
    pair = TERMS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


def localise_columns(columns, lang: str = "id") -> list[str]:
    return [term(str(c), lang) for c in columns]


def format_number(value: float, decimals: int = 1, lang: str = "id", decimal_comma: bool | None = None) -> str:
    """``42.5`` -> ``"42,5"`` in Indonesian (decimal comma, dot for thousands), ``"42.5"`` in English."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    comma = (lang == "id") if decimal_comma is None else decimal_comma
    text = f"{value:,.{decimals}f}"
    if comma:
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def number_text(value: object, lang: str = "id", decimals: int = 1) -> str:
    """A value as a reader of ``lang`` writes it: floats by :func:`format_number`, others as text."""
    if isinstance(value, bool) or value is None:
        return "-" if value is None else str(value)
    if isinstance(value, float):
        return format_number(value, decimals, lang)
    if isinstance(value, int):
        return format_number(float(value), 0, lang)
    return str(value)


def sentence(key: str, lang: str = "id", *, decimals: int = 1, **values: object) -> str:
    """The template ``key`` in ``lang`` filled from ``values``.

    Numbers are written the reader's way (decimal comma in Indonesian, :func:`format_number`)
    with ``decimals`` places; integers without decimals; text as it is. This is the one way a
    sentence with numbers is made, for charts, slides, documents and the report alike.

    Examples
    --------
    >>> TERMS["example:index"] = ("Indeks {score} dari {top}", "Index {score} of {top}")
    >>> sentence("example:index", "id", score=62.45, top=100)
    'Indeks 62,5 dari 100'
    >>> del TERMS["example:index"]
    """
    template = term(key, lang)
    return template.format(**{k: number_text(v, lang, decimals) for k, v in values.items()})
