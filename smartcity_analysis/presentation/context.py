"""One presentation context: language, decimal comma, source line, maturity ladder and scale.

Every chart, deck, document and table takes the same few keywords (``lang``, ``decimal_comma``,
``footnote``, ``ladder``, ``scale``). Instead of passing all of them to every call, set them once
for a block, as seaborn's ``plotting_context`` does:

>>> from smartcity_analysis.presentation.context import presentation_context
>>> with presentation_context(lang="en", footnote="Source: readiness assessment 2024"):
...     fig = ranking_bars(scores)            # doctest: +SKIP
...     deck = build_deck(scores, gaps, "Kota Solok")   # doctest: +SKIP

Inside the block, a function decorated with :func:`uses_context` gets each of these keywords
from the context when its caller did not give it; an explicit keyword always wins, and outside
any block nothing changes. Contexts nest: an inner block changes only what it names.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, fields, replace

__all__ = ["Presentation", "current", "presentation_context", "uses_context"]

_UNSET = object()


@dataclass(frozen=True)
class Presentation:
    """The settings every presentation function shares; ``None`` leaves a function's default."""

    lang: str | None = None
    decimal_comma: bool | None = None
    footnote: str | None = None
    ladder: object = None
    scale: tuple[float, float] | None = None

    def given(self) -> dict[str, object]:
        """The settings this context sets (those not ``None``)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


# a frozen dataclass: the shared default cannot be changed in place
_CURRENT: ContextVar[Presentation] = ContextVar("smartcity_presentation", default=Presentation())  # noqa: B039


def current() -> Presentation:
    """The presentation context in force (empty outside any :func:`presentation_context`)."""
    return _CURRENT.get()


@contextlib.contextmanager
def presentation_context(**settings: object) -> Iterator[Presentation]:
    """Set language, decimal comma, source line, ladder and/or scale for a ``with`` block.

    Parameters
    ----------
    **settings
        Any of ``lang`` ("id" or "en"), ``decimal_comma``, ``footnote`` (the source line),
        ``ladder`` (a :class:`~..model.maturity.MaturityLadder`), ``scale`` ((lo, hi)).
    """
    unknown = set(settings) - {f.name for f in fields(Presentation)}
    if unknown:
        raise TypeError(f"unknown presentation settings {sorted(unknown)}; "
                        f"use {', '.join(f.name for f in fields(Presentation))}")
    if settings.get("lang") not in (None, "id", "en"):
        raise ValueError(f"lang {settings['lang']!r}: use 'id' or 'en'")
    token = _CURRENT.set(replace(_CURRENT.get(), **settings))
    try:
        yield _CURRENT.get()
    finally:
        _CURRENT.reset(token)


def uses_context(func: Callable) -> Callable:
    """Let ``func`` take ``lang``, ``decimal_comma``, ``footnote``, ``ladder`` and ``scale`` from the
    presentation context when its caller does not pass them (explicit arguments win)."""
    signature = inspect.signature(func)
    names = [f.name for f in fields(Presentation) if f.name in signature.parameters]
    if not names:
        return func

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        settings = _CURRENT.get().given()
        if settings:
            bound = signature.bind_partial(*args, **kwargs)
            for name in names:
                if name in settings and name not in bound.arguments:
                    kwargs[name] = settings[name]
        return func(*args, **kwargs)

    return wrapper
