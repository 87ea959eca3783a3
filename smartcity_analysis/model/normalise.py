"""Normalisation: each indicator onto a common scale, direction -1 flipped.

One function per method, with COINr's names and conventions (``n_minmax``, ``n_zscore``,
``n_prank``), applied column-wise over the regions of one cycle, plus ``n_scale`` that maps an
indicator from its *instrument* min-max (so it is comparable across cycles) and ``n_none`` that
keeps the instrument's own scale.

All functions take ``values`` (units x indicators, NaN for missing) and return an array of the
same shape. As in COINr, directions are applied before normalising (a direction -1 indicator is
multiplied by -1 first), and an indicator with no spread over the units gives NaN for min-max.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


def n_scale(values: np.ndarray, lo: np.ndarray, hi: np.ndarray, direction: np.ndarray,
            target: tuple[float, float] = (0.0, 100.0)) -> np.ndarray:
    """From the instrument scale ``[lo, hi]`` to ``target``; direction -1 maps ``lo`` to the top."""
    share = (values - lo) / (hi - lo)
    share = np.where(direction < 0, 1.0 - share, share)
    return target[0] + share * (target[1] - target[0])


def n_minmax(values: np.ndarray, direction: np.ndarray,
             target: tuple[float, float] = (0.0, 100.0)) -> np.ndarray:
    """COINr ``n_minmax`` over the units (rows): ``(x - min) / (max - min) * (u - l) + l``."""
    x = values * direction
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        lo = np.nanmin(x, axis=0)
        hi = np.nanmax(x, axis=0)
        span = np.where(hi > lo, hi - lo, np.nan)  # no spread: NaN, as COINr
        return (x - lo) / span * (target[1] - target[0]) + target[0]


def n_zscore(values: np.ndarray, direction: np.ndarray,
             mean_sd: tuple[float, float] = (0.0, 1.0)) -> np.ndarray:
    """COINr ``n_zscore``: mean 0, standard deviation 1 (sample sd, n - 1)."""
    x = values * direction
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(x, axis=0)
        sd = np.nanstd(x, axis=0, ddof=1)
        sd = np.where(sd > 0, sd, np.nan)
        return (x - mean) / sd * mean_sd[1] + mean_sd[0]


def n_prank(values: np.ndarray, direction: np.ndarray,
            target: tuple[float, float] = (0.0, 100.0)) -> np.ndarray:
    """COINr ``n_prank``: ``(rank_min - 1) / (n - 1)``, sport ranking (ties share the lowest)."""
    x = values * direction
    out = np.full(x.shape, np.nan)
    for j in range(x.shape[1]):
        column = x[:, j]
        present = ~np.isnan(column)
        n = int(present.sum())
        if n < 2:
            continue
        v = column[present]
        rank_min = np.searchsorted(np.sort(v), v, side="left") + 1  # ties -> lowest rank
        out[present, j] = (rank_min - 1) / (n - 1)
    return target[0] + out * (target[1] - target[0])


def n_none(values: np.ndarray, lo: np.ndarray, hi: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """The instrument's own scale; a direction -1 answer is mirrored within it (``lo + hi - x``)."""
    return np.where(direction < 0, lo + hi - values, values)


# --- the methods as objects ---------------------------------------------------------------------


@dataclass(frozen=True)
class Normaliser:
    """A normalisation method and what the rest of the code needs to know about it.

    Scoring, gaps, sensitivity and maturity ask these properties instead of testing method
    names, so a new method is one :func:`register` call (e.g. in a module of
    ``smartcity_analysis.model.normalisers``, imported with the registry).

    Attributes
    ----------
    name : str
        The method's name on the command line (``--normalise NAME``).
    apply : callable
        ``apply(values, lo, hi, direction, target) -> array``: one cycle's block (units x
        indicators), ``lo``/``hi`` the instrument's scale per indicator.
    relative : bool
        The result depends on the other units of the cycle (min-max, z-score, rank): it is
        applied per cycle, and native-scale targets cannot be mapped onto it.
    native : bool
        Scores stay on the instrument's own scale (e.g. 1-5) instead of 0-100.
    banded : bool
        Maturity bands and next-level targets mean something on its scores (not for z-scores).
    positive : bool
        Scores are never negative, as a geometric mean needs.
    percent_targets : bool
        Targets typed as 0-100 can be read on its scores.
    fixed_range : tuple or None
        The scores' range when it does not follow the target range (z-scores: about -3 to 3).
    """

    name: str
    apply: Callable[..., np.ndarray]
    relative: bool = False
    native: bool = False
    banded: bool = True
    positive: bool = True
    percent_targets: bool = True
    fixed_range: tuple[float, float] | None = None

    def score_range(self, target: tuple[float, float], instrument: tuple[float, float]) -> tuple[float, float]:
        """The range scores live on, for the options' ``target`` and the instrument's range."""
        if self.native:
            return instrument
        return self.fixed_range or target

    def from_native(self, values: np.ndarray, lo: np.ndarray, hi: np.ndarray, direction: np.ndarray,
                    target: tuple[float, float]) -> np.ndarray:
        """Targets typed on the instrument's scale -> scores (the inverse direction of a gap)."""
        if self.relative:
            raise ValueError(f"{self.name} is relative to the cohort: native targets cannot be mapped")
        return self.apply(values, lo, hi, direction, target)

    def from_percent(self, values: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Targets typed as 0-100 -> scores."""
        if not self.percent_targets:
            raise ValueError(f"{self.name} scores have no 0-100 reading")
        if self.native:
            return lo + values / 100.0 * (hi - lo)
        return values


NORMALISERS: dict[str, Normaliser] = {}


def register(normaliser: Normaliser) -> Normaliser:
    """Add a method (its name becomes a ``--normalise`` choice everywhere)."""
    NORMALISERS[normaliser.name] = normaliser
    return normaliser


def normaliser(name: str) -> Normaliser:
    """The registered method ``name`` (``KeyError`` lists the known ones)."""
    try:
        return NORMALISERS[name]
    except KeyError:
        raise KeyError(f"unknown normalisation method {name!r}; known: {', '.join(NORMALISERS)}") from None


register(Normaliser("scale", lambda v, lo, hi, d, t: n_scale(v, lo, hi, d, t)))
register(Normaliser("minmax", lambda v, lo, hi, d, t: n_minmax(v, d, t), relative=True))
register(Normaliser("zscore", lambda v, lo, hi, d, t: n_zscore(v, d), relative=True, banded=False,
                    positive=False, percent_targets=False, fixed_range=(-3.0, 3.0)))
register(Normaliser("rank", lambda v, lo, hi, d, t: n_prank(v, d, t), relative=True))
register(Normaliser("none", lambda v, lo, hi, d, t: n_none(v, lo, hi, d), native=True))

#: Names of the registered methods, in registration order (the CLI's choices).
METHODS = tuple(NORMALISERS)
#: Methods whose result depends on the other units of the cycle.
RELATIVE_METHODS = tuple(n.name for n in NORMALISERS.values() if n.relative)


def normalise_block(method: str, values: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                    direction: np.ndarray, target: tuple[float, float] = (0.0, 100.0)) -> np.ndarray:
    """Apply ``method`` to one cycle's block (units x indicators)."""
    return normaliser(method).apply(values, lo, hi, direction, target)
