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

import numpy as np

METHODS = ("scale", "minmax", "zscore", "rank", "none")
#: Methods whose result depends on the other units of the cycle.
RELATIVE_METHODS = ("minmax", "zscore", "rank")


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


def normalise_block(method: str, values: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                    direction: np.ndarray, target: tuple[float, float] = (0.0, 100.0)) -> np.ndarray:
    """Apply ``method`` to one cycle's block (units x indicators)."""
    if method == "scale":
        return n_scale(values, lo, hi, direction, target)
    if method == "minmax":
        return n_minmax(values, direction, target)
    if method == "zscore":
        return n_zscore(values, direction)
    if method == "rank":
        return n_prank(values, direction, target)
    if method == "none":
        return n_none(values, lo, hi, direction)
    raise ValueError(f"unknown normalisation method {method!r}")
