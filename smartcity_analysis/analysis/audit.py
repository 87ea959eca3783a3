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
- :func:`run_audit` -- all of them on one cycle of a scoring run, as an :class:`Audit` that
  writes its tables (``audit_*.csv``) and can carry the Sobol indices of
  :func:`~.variance.choice_sensitivity`.

The data-preparation steps the audit's findings call for are scoring options and live with
scoring (:mod:`smartcity_analysis.model.scoring`), re-exported here: :func:`treat_outliers`
(COINr's default ``Treat``: Winsorisation up to ``winmax`` points, else ``log_CT``),
:func:`screen_units` (COINr ``Screen(unit_screen = "byNA")``) and :func:`impute` (COINr
``i_mean`` / ``i_median`` / ``i_mean_grp``), with :func:`skewness` and :func:`kurtosis`.

The functions reproduce the COINr 1.1.14 tables of the ASEM reference case to 1e-6 (see
``tests/test_audit.py``).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from ..errors import Location, RunError
from ..input.framework import Framework
from ..model.scoring import (
    DEFAULT_SCREEN,
    SCREEN_COLUMNS,
    TREATMENT_COLUMNS,
    Scores,
    impute,
    kurtosis,
    screen_units,
    skewness,
    treat_outliers,
)
from ..model.selection import resolve_cycle

if TYPE_CHECKING:
    from .variance import ChoiceSensitivity

__all__ = [
    "AUDIT_FILES",
    "FINDINGS",
    "STATISTICS_COLUMNS",
    "TREATMENT_COLUMNS",
    "Audit",
    "cronbach_alpha",
    "impute",
    "indicator_pairs",
    "indicator_statistics",
    "kurtosis",
    "parent_correlations",
    "pc1_variance_share",
    "reliability",
    "run_audit",
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
UNIT_COLUMNS = ["region", *SCREEN_COLUMNS]


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
        column = raw[code].to_numpy(dtype=float)
        x = np.sort(column[~np.isnan(column)])
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
# The audit of one scoring run
# ---------------------------------------------------------------------------------------------

#: Kinds of :meth:`Audit.findings`, in the order they are listed.
FINDINGS = ("flag_availability", "flag_nonzero", "flag_unique", "flag_outlier", "collinear", "negative",
            "weak_parent", "low_alpha", "low_pc1", "low_data")
FINDING_COLUMNS = ["finding", "code", "other", "value", "threshold"]
#: Rules of thumb of the JRC audits (not COINr flags): weak correlation with the parent,
#: Cronbach's alpha, first principal component's share of variance.
WEAK_PARENT = 0.3
LOW_ALPHA = 0.7
LOW_PC1 = 0.5

#: Files :meth:`Audit.write` writes (``audit_sobol.csv`` only with Sobol indices).
AUDIT_FILES = (
    "audit_indicators.csv", "audit_correlations.csv", "audit_pairs.csv", "audit_reliability.csv",
    "audit_units.csv", "audit_sobol.csv", "audit_recipe.json",
)


@dataclass
class Audit:
    """The statistical audit of one cycle of a scoring run (the JRC / COINr audit).

    Made by :func:`run_audit`; every table is plain data, written by :meth:`write`.

    Attributes
    ----------
    cycle : int or None
        The audited cycle (None for data that carry no cycle).
    indicators : DataFrame
        :func:`indicator_statistics` of the raw values (respondents combined, before any
        imputation or treatment), one row per indicator: ``audit_indicators.csv``.
    correlations : DataFrame
        :func:`parent_correlations`: every indicator (normalised) and aggregate against its
        parent, ``code, parent, pearson, spearman``: ``audit_correlations.csv``.
    pairs : DataFrame
        :func:`indicator_pairs` over every pair of indicators within each dimension
        (``group`` is the dimension), ``flag`` set to ``"collinear"`` or ``"negative"`` for the
        pairs flagged and None for the rest: ``audit_pairs.csv``. :attr:`flagged_pairs` keeps
        the flagged ones.
    reliability : DataFrame
        :func:`reliability` of every aggregate, ``code, level, alpha_indicators,
        alpha_children, pc1_variance_share, n_complete``; ``level`` is the instrument's level
        name (``sub-dimension``, ``dimension``, ``index``): ``audit_reliability.csv``.
    units : DataFrame
        :func:`screen_units` of the cycle's units at the screening threshold: ``region,
        n_missing, n_zero, availability, share_nonzero, low_data, kept``: ``audit_units.csv``.
        (Units already screened out by the scoring options are not in the scores.)
    parameters : dict
        Thresholds, cycle, number of units and the scoring recipe (``audit_recipe.json``).
    framework : Framework
        The instrument (names, dimensions).
    sobol : ChoiceSensitivity or None
        Variance-based sensitivity of the ranks to the scoring choices, when attached with
        :meth:`with_sobol` (``audit_sobol.csv``).
    """

    cycle: int | None
    indicators: pd.DataFrame
    correlations: pd.DataFrame
    pairs: pd.DataFrame
    reliability: pd.DataFrame
    units: pd.DataFrame
    parameters: dict
    framework: Framework = field(repr=False)
    sobol: ChoiceSensitivity | None = None

    @property
    def flagged_pairs(self) -> pd.DataFrame:
        """The pairs flagged collinear or negative."""
        return self.pairs[self.pairs["flag"].notna()].reset_index(drop=True)

    def findings(self, *, weak_parent: float = WEAK_PARENT, low_alpha: float = LOW_ALPHA,
                 low_pc1: float = LOW_PC1) -> pd.DataFrame:
        """Every threshold crossed, one row each, in the order of the audit's tables.

        Besides COINr's flags (indicator statistics, within-dimension pairs, units with too
        little data) three rules of thumb of the JRC audits: a component correlated below
        ``weak_parent`` with its parent (Pearson), an aggregate whose direct components have a
        Cronbach's alpha below ``low_alpha``, and a sub-dimension whose first principal
        component explains less than ``low_pc1`` of its indicators' variance.

        Returns
        -------
        DataFrame
            Columns ``finding`` (one of :data:`FINDINGS`), ``code`` (indicator, aggregate or
            region), ``other`` (the pair's second indicator or the parent, else None),
            ``value`` (the statistic that crossed) and ``threshold``.
        """
        thresholds = self.parameters["thresholds"]
        rows: list[tuple] = []
        stats = self.indicators
        checks = [
            ("flag_availability", "availability", thresholds["availability"]),
            ("flag_nonzero", "share_nonzero", thresholds["share_nonzero"]),
            ("flag_unique", "share_unique", thresholds["share_unique"]),
            ("flag_outlier", "skew", thresholds["skew"]),
        ]
        for flag, column, threshold in checks:
            hit = stats[stats[flag]]
            rows += [(flag, c, None, float(v), threshold) for c, v in zip(hit["code"], hit[column], strict=True)]
        method = thresholds["pair_correlation"]
        for flag in ("collinear", "negative"):
            hit = self.pairs[self.pairs["flag"] == flag]
            rows += [(flag, a, b, float(v), thresholds[flag])
                     for a, b, v in zip(hit["code_a"], hit["code_b"], hit[method], strict=True)]
        hit = self.correlations[self.correlations["pearson"] < weak_parent]
        rows += [("weak_parent", c, p, float(v), weak_parent)
                 for c, p, v in zip(hit["code"], hit["parent"], hit["pearson"], strict=True)]
        hit = self.reliability[self.reliability["alpha_children"] < low_alpha]
        rows += [("low_alpha", c, None, float(v), low_alpha)
                 for c, v in zip(hit["code"], hit["alpha_children"], strict=True)]
        hit = self.reliability[self.reliability["pc1_variance_share"] < low_pc1]
        rows += [("low_pc1", c, None, float(v), low_pc1)
                 for c, v in zip(hit["code"], hit["pc1_variance_share"], strict=True)]
        hit = self.units[self.units["low_data"]]
        rows += [("low_data", r, None, float(v), thresholds["screen_units"])
                 for r, v in zip(hit["region"], hit["availability"], strict=True)]
        return pd.DataFrame(rows, columns=FINDING_COLUMNS)

    def with_sobol(self, sensitivity: ChoiceSensitivity) -> Audit:
        """The same audit carrying Sobol indices (e.g. ``Assessment.sobol()``)."""
        return replace(self, sobol=sensitivity)

    def tables(self) -> dict[str, pd.DataFrame]:
        """File name -> table, as :meth:`write` writes them."""
        out = {
            "audit_indicators.csv": self.indicators,
            "audit_correlations.csv": self.correlations,
            "audit_pairs.csv": self.pairs,
            "audit_reliability.csv": self.reliability,
            "audit_units.csv": self.units,
        }
        if self.sobol is not None:
            out["audit_sobol.csv"] = self.sobol.table
        return out

    def write(self, out_dir: str | Path) -> list[Path]:
        """Write the tables as CSV (dot decimals) and the recipe as ``audit_recipe.json``.

        Returns the paths written: ``audit_indicators.csv``, ``audit_correlations.csv``,
        ``audit_pairs.csv``, ``audit_reliability.csv``, ``audit_units.csv``,
        ``audit_sobol.csv`` (with Sobol indices) and ``audit_recipe.json``.
        """
        out = Path(out_dir)
        written = []
        try:
            out.mkdir(parents=True, exist_ok=True)
            for name, table in self.tables().items():
                path = out / name
                table.to_csv(path, index=False, float_format="%.10g", lineterminator="\n")
                written.append(path)
            recipe = {"audit": self.parameters}
            if self.sobol is not None:
                recipe["sobol"] = self.sobol.parameters
            path = out / "audit_recipe.json"
            path.write_text(json.dumps(recipe, indent=2, default=str), encoding="utf-8")
            written.append(path)
        except OSError as exc:
            raise RunError.single("SC502", Location(str(out)), path=str(out), detail=str(exc)) from exc
        return written


def _cycle_frame(frame: pd.DataFrame, cycle: int | None) -> pd.DataFrame:
    """The rows of one cycle, indexed by region (every row when the data carry no cycle)."""
    if cycle is None:
        return frame.droplevel("cycle")
    return frame.xs(cycle, level="cycle")


def run_audit(
    scores: Scores,
    cycle: int | None = None,
    *,
    availability_threshold: float = 0.65,
    screen_threshold: float = DEFAULT_SCREEN,
    collinear: float = 0.9,
    negative: float = -0.4,
    pair_method: Literal["pearson", "spearman"] = "pearson",
) -> Audit:
    """The JRC / COINr statistical audit of one cycle of a scoring run.

    Parameters
    ----------
    scores : Scores
        A scoring run; its raw values (respondents combined) feed the indicator statistics,
        its normalised indicators and aggregated scores the correlations and reliability.
    cycle : int, optional
        The cycle to audit (SC402 if the data do not hold it); default the latest.
    availability_threshold : float, default 0.65
        Indicators with a smaller share of units answered are flagged
        (:func:`indicator_statistics`; the other thresholds are COINr's defaults).
    screen_threshold : float, default 0.65
        Units with a smaller share of indicators answered are marked ``low_data``
        (:func:`screen_units`).
    collinear, negative : float, default 0.9 and -0.4
        Flags of the indicator pairs within a dimension (:func:`indicator_pairs`).
    pair_method : {"pearson", "spearman"}
        Which correlation the pair flags read.

    Returns
    -------
    Audit
        See :class:`Audit`.

    Examples
    --------
    >>> audit = run_audit(scores)                            # doctest: +SKIP
    >>> audit.indicators.query("flag_outlier")               # doctest: +SKIP
    >>> audit.write("outputs/audit")                         # doctest: +SKIP
    """
    framework = scores.framework
    cycle = resolve_cycle(scores.cycles, cycle)
    table = framework.table
    indicators = list(framework.indicators)
    raw = _cycle_frame(scores.raw, cycle)[indicators]
    values = _cycle_frame(scores.values, cycle)
    parents = {code: parent for code, parent in table["parent"].items() if isinstance(parent, str)}
    dimension_of = framework.lineage["dimension"]
    groups = {dim: [c for c in indicators if dimension_of.get(c) == dim] for dim in framework.dimensions}

    reliability_table = reliability(values, parents, indicators)
    reliability_table["level"] = reliability_table["code"].map(table["level"]).astype(object)
    _, units = screen_units(raw, screen_threshold)
    units = units.rename_axis("region").reset_index()
    units["region"] = units["region"].astype(str)
    parameters = {
        "analysis": "audit",
        "cycle": cycle,
        "n_units": int(len(raw)),
        "n_indicators": len(indicators),
        "thresholds": {
            "availability": availability_threshold, "share_nonzero": 0.5, "share_unique": 0.5,
            "skew": 2.0, "kurtosis": 3.5, "collinear": collinear, "negative": negative,
            "pair_correlation": pair_method, "screen_units": screen_threshold,
        },
        "statistics_on": "raw values, respondents combined (before imputation and treatment)",
        "correlations_on": "normalised indicators and aggregated scores, pairwise complete",
        "pairs_within": "dimension",
        "scoring": scores.recipe(),
    }
    return Audit(
        cycle=cycle,
        indicators=indicator_statistics(raw, availability_threshold=availability_threshold),
        correlations=parent_correlations(values, parents),
        pairs=indicator_pairs(values[indicators], groups, collinear, negative, method=pair_method),
        reliability=reliability_table,
        units=units[UNIT_COLUMNS],
        parameters=parameters,
        framework=framework,
    )
