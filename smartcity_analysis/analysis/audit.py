"""Statistical audit of a composite indicator, the JRC / COINr way, as small pure functions.

Every function takes plain DataFrames (rows = units, columns = indicator or aggregate codes,
NaN = missing) and plain mappings describing the framework, and returns a new DataFrame; nothing
is modified in place and nothing outside numpy and pandas is used.

- :func:`indicator_statistics` -- COINr ``get_stats``: one row of descriptive statistics and
  flags per indicator (skew and kurtosis as ``e1071`` type 2).
- :func:`parent_correlations` -- COINr ``get_corr(withparent = TRUE)``: Pearson and Spearman
  correlation of every indicator / aggregate with its parent (pairwise complete).
- :func:`indicator_pairs` -- COINr ``get_corr_flags``: within-group indicator pairs, flagged
  ``"collinear"`` or ``"negative"``.
- :func:`cronbach_alpha` and :func:`reliability` -- COINr ``get_cronbach`` (pairwise-complete
  covariances) and the first principal component's share of variance (COINr ``get_PCA``:
  complete rows only, centred and scaled).
- :func:`treat_outliers` -- COINr's default outlier treatment (``qTreat`` / ``Treat``):
  Winsorisation up to ``winmax`` points, else the ``log_CT`` transform.
- :func:`screen_units` -- COINr ``Screen(unit_screen = "byNA")``: drop units with too little
  data.
- :func:`impute` -- indicator mean / median (COINr ``i_mean`` / ``i_median``) or group mean
  (``i_mean_grp``).

The functions reproduce the COINr 1.1.14 tables of the ASEM reference case to 1e-6 (see
``tests/test_audit.py``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "STATISTICS_COLUMNS",
    "cronbach_alpha",
    "impute",
    "indicator_pairs",
    "indicator_statistics",
    "kurtosis",
    "parent_correlations",
    "pc1_variance_share",
    "reliability",
    "screen_units",
    "skewness",
    "treat_outliers",
]

#: Columns of :func:`indicator_statistics`, in order.
STATISTICS_COLUMNS = [
    "code", "n_available", "availability", "min", "max", "mean", "median", "sd", "skew",
    "kurtosis", "share_nonzero", "share_unique", "flag_availability", "flag_nonzero",
    "flag_unique", "flag_outlier",
]
PARENT_COLUMNS = ["code", "parent", "pearson", "spearman"]
PAIR_COLUMNS = ["group", "code_a", "code_b", "pearson", "spearman", "flag"]
RELIABILITY_COLUMNS = [
    "code", "level", "alpha_indicators", "alpha_children", "pc1_variance_share", "n_complete",
]
TREATMENT_COLUMNS = ["code", "winsorised_low", "winsorised_high", "transform", "passes"]
SCREEN_COLUMNS = [
    "n_missing", "n_zero", "availability", "share_nonzero", "low_data", "kept",
]


# ---------------------------------------------------------------------------------------------
# Moments
# ---------------------------------------------------------------------------------------------


def _present(values: np.ndarray | pd.Series) -> np.ndarray:
    """The non-missing values of a 1-D array, as float64."""
    arr = np.asarray(values, dtype=float)
    return arr[~np.isnan(arr)]


def skewness(values: np.ndarray | pd.Series) -> float:
    """Sample skewness as ``e1071::skewness(type = 2)`` and COINr ``skew`` (Excel's SKEW).

    Parameters
    ----------
    values : array-like
        Values; NaN are dropped.

    Returns
    -------
    float
        ``sqrt(n) * sum(d^3) / sum(d^2)^1.5 * sqrt(n (n - 1)) / (n - 2)`` with ``d = x - mean(x)``;
        NaN with fewer than 3 values or no variation.
    """
    x = _present(values)
    n = x.size
    if n < 3:
        return float("nan")
    d = x - x.mean()
    s2 = np.sum(d**2)
    if s2 == 0:
        return float("nan")
    with np.errstate(all="ignore"):  # under/overflow of extreme values: NaN, not a warning
        g = np.sqrt(n) * np.sum(d**3) / s2**1.5
        out = float(g * np.sqrt(n * (n - 1)) / (n - 2))
    return out if np.isfinite(out) else float("nan")


def kurtosis(values: np.ndarray | pd.Series) -> float:
    """Sample excess kurtosis as ``e1071::kurtosis(type = 2)`` and COINr ``kurt`` (Excel's KURT).

    Parameters
    ----------
    values : array-like
        Values; NaN are dropped.

    Returns
    -------
    float
        ``((n + 1) (r - 3) + 6) (n - 1) / ((n - 2) (n - 3))`` with ``r = n sum(d^4) / sum(d^2)^2``;
        NaN with fewer than 4 values or no variation.
    """
    x = _present(values)
    n = x.size
    if n < 4:
        return float("nan")
    d = x - x.mean()
    s2 = np.sum(d**2)
    if s2 == 0:
        return float("nan")
    with np.errstate(all="ignore"):
        r = n * np.sum(d**4) / s2**2
        out = float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))
    return out if np.isfinite(out) else float("nan")


def _passes_skew_kurt(x: np.ndarray, skew_thresh: float, kurt_thresh: float) -> bool | None:
    """COINr ``check_SkewKurt``: ``|skew| < skew_thresh or kurt < kurt_thresh``; None if NA."""
    sk, kt = skewness(x), kurtosis(x)
    skew_ok = None if np.isnan(sk) else abs(sk) < skew_thresh
    kurt_ok = None if np.isnan(kt) else kt < kurt_thresh
    # R's three-valued `|`: TRUE | NA is TRUE, FALSE | NA is NA
    if skew_ok or kurt_ok:
        return True
    if skew_ok is None or kurt_ok is None:
        return None
    return False


# ---------------------------------------------------------------------------------------------
# Indicator statistics
# ---------------------------------------------------------------------------------------------


def indicator_statistics(
    raw: pd.DataFrame,
    *,
    availability_threshold: float = 0.65,
    nonzero_threshold: float = 0.5,
    unique_threshold: float = 0.5,
    skew_threshold: float = 2.0,
    kurtosis_threshold: float = 3.5,
) -> pd.DataFrame:
    """Descriptive statistics and flags of every indicator, as COINr ``get_stats``.

    Parameters
    ----------
    raw : pandas.DataFrame
        Rows = units, columns = indicator codes, NaN = missing.
    availability_threshold : float, default 0.65
        ``flag_availability`` is True when the share of units with a value is below this.
    nonzero_threshold : float, default 0.5
        ``flag_nonzero`` is True when the number of non-zero values over the number of units is
        below this.
    unique_threshold : float, default 0.5
        ``flag_unique`` is True when the number of distinct values over the number of units is
        below this.
    skew_threshold, kurtosis_threshold : float, default 2.0 and 3.5
        ``flag_outlier`` is True when ``|skew| > skew_threshold`` and
        ``kurtosis > kurtosis_threshold``.

    Returns
    -------
    pandas.DataFrame
        One row per column of ``raw`` with the columns of :data:`STATISTICS_COLUMNS`: ``sd`` is
        the sample standard deviation (n - 1), ``skew`` / ``kurtosis`` as :func:`skewness` /
        :func:`kurtosis`, all over the values present.

    Notes
    -----
    As COINr 1.1.14 (``get_stats.data.frame``), ``share_nonzero`` and ``share_unique`` are
    fractions of the *available* values (COINr's ``Frc.NonZero`` / ``Frc.Unique``; the ASEM
    reference confirms it, e.g. ``ConSpeed`` 40 unique of 43 available = 0.930), while COINr's
    ``Flag.NonZero`` / ``Flag.Unique`` compare ``count / n_units`` with the threshold, i.e. they
    count missing values as neither non-zero nor unique. The flags here do the same, so a
    column with many missing values can be flagged with a share above the threshold.

    Each column's values are sorted before any sum, so the result does not depend on the order
    of the rows (bit for bit).
    """
    n_units = len(raw)
    rows = []
    for code in raw.columns:
        x = np.sort(_present(raw[code]))
        n_avail = int(x.size)
        n_nonzero = int(np.count_nonzero(x))
        n_unique = int(np.unique(x).size)
        sk, kt = skewness(x), kurtosis(x)
        if n_avail:
            mn, mx, mean, median = x[0], x[-1], x.mean(), float(np.median(x))
        else:
            mn = mx = mean = median = float("nan")
        sd = float(np.std(x, ddof=1)) if n_avail > 1 else float("nan")
        availability = n_avail / n_units if n_units else float("nan")
        rows.append({
            "code": code,
            "n_available": n_avail,
            "availability": availability,
            "min": float(mn),
            "max": float(mx),
            "mean": float(mean),
            "median": median,
            "sd": sd,
            "skew": sk,
            "kurtosis": kt,
            "share_nonzero": n_nonzero / n_avail if n_avail else float("nan"),
            "share_unique": n_unique / n_avail if n_avail else float("nan"),
            "flag_availability": bool(availability < availability_threshold),
            "flag_nonzero": bool(n_units and n_nonzero / n_units < nonzero_threshold),
            "flag_unique": bool(n_units and n_unique / n_units < unique_threshold),
            "flag_outlier": bool(abs(sk) > skew_threshold and kt > kurtosis_threshold),
        })
    out = pd.DataFrame(rows, columns=STATISTICS_COLUMNS)
    return out.astype({"n_available": "int64"})


# ---------------------------------------------------------------------------------------------
# Correlations
# ---------------------------------------------------------------------------------------------


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    """Pearson correlation of two complete, equally long arrays (NaN if undefined)."""
    if x.size < 2:
        return float("nan")
    dx, dy = x - x.mean(), y - y.mean()
    denom = np.sqrt(np.sum(dx * dx) * np.sum(dy * dy))
    if denom == 0:
        return float("nan")
    return float(np.clip(np.sum(dx * dy) / denom, -1.0, 1.0))


def _average_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n, ties sharing their average rank (R's ``rank(ties.method = "average")``)."""
    order = np.argsort(x, kind="mergesort")
    xs = x[order]
    # start of each run of equal values
    starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
    ends = np.r_[starts[1:], xs.size]
    run_rank = (starts + ends + 1) / 2.0  # mean of ranks starts+1 .. ends
    ranks = np.empty(x.size)
    ranks[order] = np.repeat(run_rank, ends - starts)
    return ranks


def _pair_correlations(x: pd.Series, y: pd.Series) -> tuple[float, float]:
    """Pearson and Spearman correlation over the units where both are present."""
    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    both = ~(np.isnan(a) | np.isnan(b))
    a, b = a[both], b[both]
    if a.size < 2:
        return float("nan"), float("nan")
    return _pearson(a, b), _pearson(_average_ranks(a), _average_ranks(b))


def parent_correlations(values: pd.DataFrame, parents: Mapping[str, str]) -> pd.DataFrame:
    """Correlation of every indicator and aggregate with its parent (COINr ``get_corr``).

    Parameters
    ----------
    values : pandas.DataFrame
        Rows = units; columns = normalised indicators and aggregated scores of the same units.
    parents : Mapping[str, str]
        Code -> parent code. Pairs where either column is absent from ``values`` are skipped,
        as are codes whose parent is None / NaN (the index itself).

    Returns
    -------
    pandas.DataFrame
        Columns ``code, parent, pearson, spearman``, in the order of ``parents``. Both
        correlations use the units where both values are present (R's
        ``use = "pairwise.complete.obs"``); Spearman ranks ties by their average rank.
    """
    rows = []
    for code, parent in parents.items():
        if not isinstance(parent, str) or code not in values or parent not in values:
            continue
        pearson, spearman = _pair_correlations(values[code], values[parent])
        rows.append((code, parent, pearson, spearman))
    return pd.DataFrame(rows, columns=PARENT_COLUMNS)


def indicator_pairs(
    values: pd.DataFrame,
    groups: Mapping[str, Sequence[str]],
    collinear: float = 0.9,
    negative: float = -0.4,
    *,
    method: Literal["pearson", "spearman"] = "pearson",
) -> pd.DataFrame:
    """Correlations of the indicator pairs within each group (COINr ``get_corr_flags``).

    Parameters
    ----------
    values : pandas.DataFrame
        Rows = units, columns = (normalised) indicators.
    groups : Mapping[str, Sequence[str]]
        Group code -> its indicator codes (e.g. the indicators of each pillar). Codes absent
        from ``values`` are skipped.
    collinear : float, default 0.9
        A pair whose correlation is above this is flagged ``"collinear"``.
    negative : float, default -0.4
        A pair whose correlation is below this is flagged ``"negative"``.
    method : {"pearson", "spearman"}, default "pearson"
        Which correlation the flags look at (COINr's ``cortype``, default Pearson).

    Returns
    -------
    pandas.DataFrame
        One row per unordered pair within a group (in the group's order), columns
        ``group, code_a, code_b, pearson, spearman, flag``; ``flag`` is ``"collinear"``,
        ``"negative"`` or None. Correlations are pairwise complete.
    """
    if method not in ("pearson", "spearman"):
        raise ValueError(f"method must be 'pearson' or 'spearman', not {method!r}")
    rows = []
    for group, codes in groups.items():
        present = [c for c in codes if c in values]
        for i, code_a in enumerate(present):
            for code_b in present[i + 1:]:
                pearson, spearman = _pair_correlations(values[code_a], values[code_b])
                r = pearson if method == "pearson" else spearman
                flag = "collinear" if r > collinear else "negative" if r < negative else None
                rows.append((group, code_a, code_b, pearson, spearman, flag))
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


# ---------------------------------------------------------------------------------------------
# Reliability: Cronbach's alpha and PCA
# ---------------------------------------------------------------------------------------------


def cronbach_alpha(frame: pd.DataFrame) -> float:
    """Cronbach's alpha with pairwise-complete covariances (COINr ``get_cronbach``).

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows = units, columns = the items (indicators or aggregates) of one group.

    Returns
    -------
    float
        ``k^2 * mean(off-diagonal covariances) / sum(all covariances)`` over the ``k`` columns,
        each covariance over the units where both columns are present (sample, n - 1). This
        equals the textbook ``k / (k - 1) * (1 - sum(variances) / sum(all covariances))``. NaN
        with fewer than two columns or an undefined covariance.
    """
    k = frame.shape[1]
    if k < 2:
        return float("nan")
    cov = frame.astype(float).cov().to_numpy()  # pairwise complete, ddof = 1
    total = cov.sum()
    if np.isnan(total) or total == 0:
        return float("nan")
    off_diagonal = (total - np.trace(cov)) / (k * (k - 1))
    return float(k**2 * off_diagonal / total)


def pc1_variance_share(frame: pd.DataFrame) -> tuple[float, int]:
    """First principal component's share of variance, as COINr ``get_PCA``.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows = units, columns = variables.

    Returns
    -------
    tuple[float, int]
        The share and the number of complete rows used. Rows with any missing value are
        dropped, the columns centred and scaled by their sample sd (``prcomp(center = TRUE,
        scale. = TRUE)``), and the share is the largest eigenvalue of the correlation matrix of
        the complete rows over the sum of its eigenvalues. NaN with fewer than two complete
        rows, fewer than one column or a constant column.
    """
    complete = frame.dropna(how="any").to_numpy(dtype=float)
    n = complete.shape[0]
    if n < 2 or complete.shape[1] < 1:
        return float("nan"), n
    sd = complete.std(axis=0, ddof=1)
    if np.any(sd == 0):
        return float("nan"), n
    z = (complete - complete.mean(axis=0)) / sd
    eigenvalues = np.linalg.eigvalsh(z.T @ z / (n - 1))
    return float(eigenvalues[-1] / eigenvalues.sum()), n


def _children(parents: Mapping[str, str]) -> dict[str, list[str]]:
    """Parent -> its children, both in the order of ``parents``."""
    children: dict[str, list[str]] = {}
    for code, parent in parents.items():
        if isinstance(parent, str):
            children.setdefault(parent, []).append(code)
    return children


def reliability(
    values: pd.DataFrame,
    parents: Mapping[str, str],
    indicator_codes: Collection[str],
    *,
    levels: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """Cronbach's alpha and PC1 variance share of every aggregate.

    Parameters
    ----------
    values : pandas.DataFrame
        Rows = units; columns = normalised indicators and aggregated scores.
    parents : Mapping[str, str]
        Code -> parent code for every indicator and aggregate (None / NaN for the index).
    indicator_codes : Collection[str]
        Which codes are indicators (the leaves).
    levels : Mapping[str, int], optional
        Level of each aggregate (COINr's ``Level``). By default an indicator is level 1 and an
        aggregate one above its highest child.

    Returns
    -------
    pandas.DataFrame
        One row per aggregate (every code that is someone's parent), sorted by level, then in
        the order of ``parents``; columns ``code, level, alpha_indicators, alpha_children,
        pc1_variance_share, n_complete``:

        - ``alpha_indicators``: :func:`cronbach_alpha` over all indicators beneath the
          aggregate; ``alpha_children``: over its direct children.
        - ``pc1_variance_share`` / ``n_complete``: :func:`pc1_variance_share` of the children,
          only for aggregates whose children are all indicators (NaN / <NA> otherwise).

        Codes absent from ``values`` are left out of the computations.
    """
    indicators = set(indicator_codes)
    children = _children(parents)

    def beneath(code: str) -> list[str]:
        if code in indicators or code not in children:
            return [code]
        return [leaf for child in children[code] for leaf in beneath(child)]

    def level(code: str) -> int:
        if levels is not None and code in levels:
            return int(levels[code])
        if code in indicators or code not in children:
            return 1
        return 1 + max(level(child) for child in children[code])

    rows = []
    for code, kids in children.items():
        leaves = [c for c in beneath(code) if c in values]
        present = [c for c in kids if c in values]
        share, n_complete = float("nan"), pd.NA
        if all(c in indicators for c in kids):
            share, n_complete = pc1_variance_share(values[present])
        rows.append({
            "code": code,
            "level": level(code),
            "alpha_indicators": cronbach_alpha(values[leaves]),
            "alpha_children": cronbach_alpha(values[present]),
            "pc1_variance_share": share,
            "n_complete": n_complete,
        })
    out = pd.DataFrame(rows, columns=RELIABILITY_COLUMNS)
    out = out.astype({"level": "int64", "n_complete": "Int64"})
    return out.sort_values("level", kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Outlier treatment
# ---------------------------------------------------------------------------------------------


def _winsorise(
    x: np.ndarray, winmax: int | None, skew_thresh: float, kurt_thresh: float
) -> tuple[np.ndarray, int, int]:
    """COINr ``winsorise``: returns the values and how many points were set at each end."""
    x = x.copy()
    imax = imin = np.empty(0, dtype=int)

    def below_winmax() -> bool:
        return winmax is None or imax.size + imin.size < winmax

    passing = _passes_skew_kurt(x, skew_thresh, kurt_thresh)
    # (a check that turns undefined, None, stops the loop: R would stop with an error)
    while passing is False and below_winmax():
        if skewness(x) >= 0:  # high outliers: the maximum (and ties) takes the next value down
            ends = np.flatnonzero(x == np.nanmax(x))
            rest = _present(np.delete(x, ends))
            if not rest.size:
                break
            imax = ends
            x[imax] = rest.max()
        else:
            ends = np.flatnonzero(x == np.nanmin(x))
            rest = _present(np.delete(x, ends))
            if not rest.size:
                break
            imin = ends
            x[imin] = rest.min()
        passing = _passes_skew_kurt(x, skew_thresh, kurt_thresh)
    # As COINr: `imax` / `imin` are the points at the current winsorised value of each end, i.e.
    # every point that has been winsorised at that end.
    return x, int(imin.size), int(imax.size)


def _log_ct(x: np.ndarray) -> np.ndarray:
    """COINr ``log_CT``: ``log(x - min(x) + 0.01 * (max(x) - min(x)))``."""
    lo, hi = np.nanmin(x), np.nanmax(x)
    return np.log(x - lo + 0.01 * (hi - lo))


def treat_outliers(
    values: pd.DataFrame,
    max_winsor: int | None = 5,
    skew_thresh: float = 2.0,
    kurt_thresh: float = 3.5,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """COINr's default outlier treatment: Winsorise, else log-transform.

    This is COINr 1.1.14's ``Treat`` / ``qTreat`` at its defaults (``f1 = "winsorise"``,
    ``winmax = 5``, ``f2 = "log_CT"``, ``f_pass = "check_SkewKurt"``, ``combine_treat = FALSE``),
    column by column:

    1. An indicator *passes* when ``|skew| < skew_thresh`` **or** ``kurtosis < kurt_thresh``
       (``check_SkewKurt``, values present only); one that passes is left alone.
    2. Otherwise it is Winsorised (``winsorise``): while it fails and fewer than
       ``max_winsor`` points have been Winsorised, the maximum (if skew >= 0) or the minimum (if
       skew < 0), ties included, is set to the next value in from that end; the side is chosen
       again at every step.
    3. If it still fails, the Winsorisation is discarded and the *original* values are
       transformed by ``log_CT``: ``log(x - min(x) + 0.01 * (max(x) - min(x)))``. (COINr's
       documented default; the older "COIN Tool" ``log(x - min(x) + 1)`` is ``log_CT_orig``, not
       the default.) The result is not checked further.

    An indicator whose skew or kurtosis is undefined (fewer than 4 values, or constant) is
    returned untreated, as COINr does when ``check_SkewKurt`` returns NA.

    Parameters
    ----------
    values : pandas.DataFrame
        Rows = units, columns = indicators (NaN = missing; missing values stay missing).
    max_winsor : int or None, default 5
        COINr's ``winmax``; None for no limit.
    skew_thresh, kurt_thresh : float, default 2.0 and 3.5
        Thresholds of the pass test.

    Returns
    -------
    treated : pandas.DataFrame
        The treated values, same index and columns as ``values``.
    log : pandas.DataFrame
        One row per column: ``code``; ``winsorised_low`` / ``winsorised_high``, how many points
        of the *returned* values were Winsorised at each end (0 when the log transform replaced
        the Winsorisation); ``transform``, ``"none"``, ``"winsorise"`` or ``"log_CT"``; and
        ``passes``, whether the returned values pass the skew / kurtosis test (<NA> if
        undefined).
    """
    treated = {}
    rows = []
    for code in values.columns:
        x = values[code].to_numpy(dtype=float)
        passing = _passes_skew_kurt(x, skew_thresh, kurt_thresh)
        low = high = 0
        if passing is None or passing:
            out, transform = x, "none"
        else:
            out, low, high = _winsorise(x, max_winsor, skew_thresh, kurt_thresh)
            passing = _passes_skew_kurt(out, skew_thresh, kurt_thresh)
            transform = "winsorise"
            if not passing:
                out, low, high, transform = _log_ct(x), 0, 0, "log_CT"
                passing = _passes_skew_kurt(out, skew_thresh, kurt_thresh)
        treated[code] = out
        rows.append((code, low, high, transform, pd.NA if passing is None else passing))
    log = pd.DataFrame(rows, columns=TREATMENT_COLUMNS).astype({"passes": "boolean"})
    return pd.DataFrame(treated, index=values.index, columns=values.columns), log


# ---------------------------------------------------------------------------------------------
# Screening and imputation
# ---------------------------------------------------------------------------------------------


def screen_units(
    raw: pd.DataFrame, threshold: float = 0.65
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Drop the units with too little data (COINr ``Screen(unit_screen = "byNA")``).

    Parameters
    ----------
    raw : pandas.DataFrame
        Rows = units, columns = indicators (NaN = missing).
    threshold : float, default 0.65
        A unit is kept when its share of indicators with a value is at least this (COINr:
        ``Dat_Avail < dat_thresh`` is screened out; COINr's own default is 2/3).

    Returns
    -------
    kept : pandas.DataFrame
        The rows of ``raw`` that are kept.
    table : pandas.DataFrame
        Indexed like ``raw``: ``n_missing``, ``n_zero``, ``availability`` (share of indicators
        present), ``share_nonzero`` (non-zero share of the values present, as COINr's
        ``Non_Zero``), ``low_data`` and ``kept``.
    """
    x = raw.to_numpy(dtype=float)
    n_ind = x.shape[1]
    missing = np.isnan(x)
    n_missing = missing.sum(axis=1)
    n_zero = (x == 0).sum(axis=1)
    n_present = n_ind - n_missing
    with np.errstate(invalid="ignore", divide="ignore"):
        availability = 1 - n_missing / n_ind if n_ind else np.full(len(raw), np.nan)
        share_nonzero = 1 - n_zero / n_present
    low = ~(availability >= threshold)
    table = pd.DataFrame(
        {
            "n_missing": n_missing.astype("int64"),
            "n_zero": n_zero.astype("int64"),
            "availability": availability,
            "share_nonzero": share_nonzero,
            "low_data": low,
            "kept": ~low,
        },
        index=raw.index,
        columns=SCREEN_COLUMNS,
    )
    return raw.loc[~low].copy(), table


def impute(
    values: pd.DataFrame,
    method: Literal["none", "mean", "median", "group_mean"] = "mean",
    groups: pd.Series | None = None,
) -> pd.DataFrame:
    """Fill missing values by indicator (column), as COINr's ``i_mean``/``i_median``/``i_mean_grp``.

    Parameters
    ----------
    values : pandas.DataFrame
        Rows = units, columns = indicators (NaN = missing).
    method : {"none", "mean", "median", "group_mean"}, default "mean"
        ``"mean"`` / ``"median"``: the indicator's mean / median over the units of ``values``;
        ``"group_mean"``: the indicator's mean over the units of the same group, or the
        indicator's mean over all units when no unit of the group has a value (or the unit has
        no group); ``"none"``: a copy of ``values``.
    groups : pandas.Series, optional
        Group of each unit, indexed like ``values`` (required for ``"group_mean"``).

    Returns
    -------
    pandas.DataFrame
        A new frame, same index and columns; indicators with no value at all stay missing.
    """
    out = values.astype(float).copy()
    if method == "none":
        return out
    if method == "mean":
        return out.fillna(out.mean())
    if method == "median":
        return out.fillna(out.median())
    if method == "group_mean":
        if groups is None:
            raise ValueError("method 'group_mean' needs groups")
        keys = pd.Series(groups).reindex(values.index)
        if not keys.notna().any():
            return out.fillna(out.mean())
        group_means = out.groupby(keys, dropna=True).transform("mean")
        return out.fillna(group_means).fillna(out.mean())
    raise ValueError(f"unknown imputation method {method!r}")
