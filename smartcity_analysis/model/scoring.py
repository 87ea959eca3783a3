"""Scoring: answers in, scores for every indicator, sub-dimension, dimension and the index out.

The pipeline is COINr's, one step per function: :func:`combine_respondents` (several OPD
answers per region to one value), optionally :func:`screen_units` (drop units with too little
data), :func:`impute` (fill gaps) and :func:`treat_outliers` (COINr's default outlier
treatment), then :func:`normalise_values` (see :mod:`.normalise`) and
:func:`~.aggregate.aggregate_tree`. :func:`score` runs them all and returns one :class:`Scores`
object that holds every stage (raw, normalised, aggregated), the options used and a log, like a
COINr "coin": change one option, score again, compare.

Screening, imputation and outlier treatment are off by default; when on, they are part of the
recipe (:meth:`Scores.recipe`) and logged. ``Scores.raw`` always holds the answers as given
(combined over respondents), so an imputed or treated value is never mistaken for an answer.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Literal

import numpy as np
import pandas as pd

from ..errors import Bilingual, Location, OptionError
from ..input.framework import Framework
from ..input.loading import ANSWER_COLUMNS, SOURCE_COLUMNS, Answers
from .aggregate import AGGREGATIONS, MISSING_RULES, Tree, aggregate_tree
from .normalise import NORMALISERS, Normaliser, normalise_block, normaliser

RESPONDENT_RULES = ("mean", "median")
#: Ways to fill a missing indicator value (COINr ``i_mean``, ``i_median``, ``i_mean_grp``).
IMPUTATIONS = ("none", "mean", "median", "group_mean")
#: COINr's default screening threshold in this package (COINr's own default is 2/3).
DEFAULT_SCREEN = 0.65
KEY = ["cycle", "region"]


@dataclass(frozen=True)
class ScoringOptions:
    """How scores are made; every output records these (the recipe)."""

    normalise: str = "scale"
    aggregate: str = "arithmetic"
    missing: str = "available"
    min_coverage: float = 0.5
    respondents: str = "mean"
    #: Drop the units (cycle, region) with less than this share of indicators answered
    #: (:func:`screen_units`); None: keep every unit.
    screen: float | None = None
    #: Fill missing indicator values within each cycle (:func:`impute`): ``"none"``, the
    #: indicator's ``"mean"`` or ``"median"``, or the mean of the unit's peer group
    #: (``"group_mean"``, the group column ``impute_group`` of the regions).
    impute: str = "none"
    impute_group: str = "region_type"
    #: COINr's default outlier treatment within each cycle (:func:`treat_outliers`).
    treat_outliers: bool = False

    def __post_init__(self) -> None:
        checks = [
            ("normalise", self.normalise, tuple(NORMALISERS)),  # every registered method
            ("aggregate", self.aggregate, AGGREGATIONS),
            ("missing", self.missing, MISSING_RULES),
            ("respondents", self.respondents, RESPONDENT_RULES),
            ("impute", self.impute, IMPUTATIONS),
        ]
        for name, value, allowed in checks:
            if value not in allowed:
                raise OptionError.single(
                    "SC401", Location(), detail=Bilingual(f"--{name} {value!r}; pilih dari {', '.join(allowed)}", f"--{name} {value!r}; choose from {', '.join(allowed)}")
                )
        if not 0.0 <= float(self.min_coverage) <= 1.0:
            raise OptionError.single("SC401", Location(), detail=Bilingual(f"--min-coverage {self.min_coverage}: pakai 0 sampai 1", f"--min-coverage {self.min_coverage}: use 0 to 1"))
        if self.screen is not None and (isinstance(self.screen, bool) or not isinstance(self.screen, (int, float))
                                        or not 0.0 <= self.screen <= 1.0):
            raise OptionError.single("SC401", Location(),
                                     detail=Bilingual(f"--screen {self.screen}: pakai proporsi 0 sampai 1 (mis. {DEFAULT_SCREEN})", f"--screen {self.screen}: use a share from 0 to 1 (e.g. {DEFAULT_SCREEN})"))
        if not isinstance(self.impute_group, str) or not self.impute_group.strip():
            raise OptionError.single("SC401", Location(),
                                     detail=Bilingual(f"--impute-group {self.impute_group!r}: sebut kolom daerah (region_type, province)", f"--impute-group {self.impute_group!r}: name a region column (region_type, province)"))
        if not isinstance(self.treat_outliers, (bool, np.bool_)):
            raise OptionError.single("SC401", Location(), detail=f"treat_outliers {self.treat_outliers!r}: use True or False")
        if self.aggregate == "geometric" and not self.normaliser.positive:
            raise OptionError.single(
                "SC401", Location(),
                detail=Bilingual(f"agregasi geometrik memerlukan skor positif; skor --normalise {self.normalise} "
                                 "tidak (pakai scale, minmax atau rank)",
                                 f"geometric aggregation needs positive scores; --normalise {self.normalise} scores "
                                 "are not (use scale, minmax or rank)"),
            )

    @property
    def target_range(self) -> tuple[float, float]:
        """Normalised range: 0-100, or 1-100 for geometric means (COINr's advice: no zeros)."""
        return (1.0, 100.0) if self.aggregate == "geometric" else (0.0, 100.0)

    @property
    def normaliser(self) -> Normaliser:
        """The normalisation method as an object (what it is relative to, its range, ...)."""
        return normaliser(self.normalise)

    @property
    def native_scale(self) -> bool:
        return self.normaliser.native


@dataclass
class Scores:
    """Every stage of one scoring run, indexed by (cycle, region).

    Attributes
    ----------
    raw : DataFrame
        Indicator values after combining respondents (instrument scale).
    n_respondents : DataFrame
        How many respondents answered each indicator.
    normalised : DataFrame
        Indicator scores after normalisation.
    values : DataFrame
        Scores of every code (indicators normalised, aggregates), columns in framework order.
    coverage : DataFrame
        Share of each code's children weight present (indicators: 1 answered, 0 missing).
    regions : DataFrame
        Grouping columns per (cycle, region): region_type, province, ...
    """

    framework: Framework
    options: ScoringOptions
    raw: pd.DataFrame
    n_respondents: pd.DataFrame
    normalised: pd.DataFrame
    values: pd.DataFrame
    coverage: pd.DataFrame
    regions: pd.DataFrame
    log: list[str] = field(default_factory=list)

    @property
    def cycles(self) -> list[int]:
        return sorted(int(c) for c in self.values.index.get_level_values("cycle").dropna().unique())

    @property
    def latest_cycle(self) -> int:
        return self.cycles[-1]

    @property
    def scale_range(self) -> tuple[float, float]:
        """The range scores live on: 0-100, or the instrument's own (e.g. 1-5) for ``none``."""
        t = self.framework.table.loc[self.framework.indicators]
        instrument = (float(t["min"].min()), float(t["max"].max()))
        return self.options.normaliser.score_range(self.options.target_range, instrument)

    def level(self, level: str, cycle: int | None = None) -> pd.DataFrame:
        """Wide scores of one level (e.g. ``dimension``): rows regions, columns codes."""
        codes = self.framework.codes_at(level)
        out = self.values[codes]
        if cycle is not None:
            out = out.xs(cycle, level="cycle")
        return out

    def index(self, cycle: int | None = None) -> pd.Series:
        """The index (root) score per region."""
        return self.level("index" if "index" in self.framework.level_names else 0, cycle)[self.framework.root]

    def table(self, lang: str | None = None) -> pd.DataFrame:
        """The long table written to ``scores.csv``.

        Columns: cycle, region, code, level, depth, score, coverage, n_respondents, raw (indicators'
        combined answer on the instrument scale) and, with ``lang``, the code's name.
        """
        fw = self.framework.table
        index, codes = self.values.index, self.values.columns
        n_units, n_codes = self.values.shape
        # One row per (unit, code) in the values' order (what ``stack`` gives), built from the
        # arrays: a stack, two merges and their key hashing took ~20 s for every desa.
        long = pd.DataFrame({
            "cycle": index.get_level_values("cycle").repeat(n_codes),
            "region": np.repeat(index.get_level_values("region").to_numpy(dtype=object), n_codes),
            "code": np.tile(codes.to_numpy(dtype=object), n_units),
        })
        long["level"] = np.tile(fw["level"].reindex(codes).to_numpy(dtype=object), n_units)
        long["depth"] = np.tile(fw["depth"].reindex(codes).to_numpy(), n_units)
        long["score"] = self.values.to_numpy(dtype=float).ravel()
        long["coverage"] = self.coverage.reindex(index=index, columns=codes).to_numpy(dtype=float).ravel()
        # indicators' respondents and combined answer; NA / NaN for aggregates
        long["n_respondents"] = pd.array(_per_code(self.n_respondents, index, codes).ravel(), dtype="Int64")
        long["raw"] = _per_code(self.raw, index, codes).ravel()
        if lang:
            long["name"] = long["code"].map(self.framework.names(lang))
        return long

    def recipe(self) -> dict:
        return {
            "framework_version": self.framework.version,
            "framework_fingerprint": self.framework.fingerprint(),
            "options": asdict(self.options),
            "normalised_range": list(self.scale_range),
        }

    def subset(self, regions: list[str]) -> Scores:
        """The same scores for some regions only (every stage filtered; nothing recomputed)."""
        keep = self.values.index.get_level_values("region").isin(regions)
        return replace(
            self, raw=self.raw[keep], n_respondents=self.n_respondents[keep], normalised=self.normalised[keep],
            values=self.values[keep], coverage=self.coverage[keep], regions=self.regions[keep],
            log=[*self.log, f"subset: {len(set(regions))} regions"],
        )

    def rescore(self, **changes) -> Scores:
        """Score the same answers again with some options changed (a COINr-style variant)."""
        return score_values(self.raw, self.n_respondents, self.regions, self.framework,
                            replace(self.options, **changes))


def _per_code(frame: pd.DataFrame, index: pd.Index, codes: pd.Index) -> np.ndarray:
    """``frame`` (indicator columns) as floats on ``index`` x ``codes``, NaN for codes it lacks."""
    position = frame.columns.get_indexer(codes)
    values = frame.reindex(index=index).to_numpy(dtype=float)[:, np.maximum(position, 0)]
    return np.where(position[None, :] >= 0, values, np.nan)


# --- steps -----------------------------------------------------------------------------------


def combine_respondents(answers: pd.DataFrame, framework: Framework, how: str = "mean"
                        ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Several respondents' answers to one value per (cycle, region, indicator).

    Returns ``(values, counts, regions)``: wide tables indexed by (cycle, region) with one column
    per indicator in framework order, and the grouping columns per (cycle, region).
    """
    t = answers
    cycle_codes, cycles = pd.factorize(t["cycle"], sort=True, use_na_sentinel=False)
    region_codes, regions_ = _sorted_codes(t["region"])
    indicators = framework.indicators
    ind_pos = _indicator_positions(t["indicator"], indicators)
    unit = cycle_codes.astype(np.int64) * len(regions_) + region_codes
    used_units, unit_inverse = _compact(unit, len(cycles) * len(regions_))
    n_units, n_ind = len(used_units), len(indicators)
    value = t["value"].to_numpy(dtype=float)
    ok = ~np.isnan(value) & (ind_pos >= 0)
    cell = unit_inverse * n_ind + ind_pos
    counts = np.bincount(cell[ok], minlength=n_units * n_ind).reshape(n_units, n_ind)
    if how == "mean":
        sums = np.bincount(cell[ok], weights=value[ok], minlength=n_units * n_ind).reshape(n_units, n_ind)
        with np.errstate(invalid="ignore", divide="ignore"):
            combined = np.where(counts > 0, sums / counts, np.nan)
    else:
        frame = pd.DataFrame({"cell": cell[ok], "value": value[ok]})
        med = frame.groupby("cell")["value"].median()
        combined = np.full(n_units * n_ind, np.nan)
        combined[med.index.to_numpy()] = med.to_numpy()
        combined = combined.reshape(n_units, n_ind)
    index = pd.MultiIndex.from_arrays(
        [pd.Index(cycles).take(used_units // len(regions_)).astype("Int64"),
         pd.Index(regions_).take(used_units % len(regions_))],
        names=KEY,
    )
    values = pd.DataFrame(combined, index=index, columns=pd.Index(indicators, name="code"))
    count_frame = pd.DataFrame(counts, index=index, columns=pd.Index(indicators, name="code"))
    group_cols = [c for c in t.columns if c not in (*ANSWER_COLUMNS, *SOURCE_COLUMNS)]
    groups = _first_per_unit(t, group_cols, unit_inverse, n_units)
    groups.index = index
    return values, count_frame, groups


def _sorted_codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(column.astype(object), sort=True)``; a categorical column (as the loader
    makes) is recoded from its categories instead of hashing every row."""
    if isinstance(column.dtype, pd.CategoricalDtype) and column.cat.categories.is_unique:
        categories = column.cat.categories.astype(object).to_numpy()
        try:
            order = np.argsort(categories, kind="stable")
        except TypeError:  # categories of mixed types: let factorize order them
            order = None
        if order is not None:
            rank = np.empty(len(order), dtype=np.int64)
            rank[order] = np.arange(len(order))
            codes = column.cat.codes.to_numpy()
            return np.where(codes >= 0, rank[np.maximum(codes, 0)], -1), pd.Index(categories[order], dtype=object)
    return pd.factorize(column.astype(object), sort=True)


def _indicator_positions(column: pd.Series, indicators: list[str]) -> np.ndarray:
    """Each row's position in ``indicators`` (-1 for codes not in it)."""
    if isinstance(column.dtype, pd.CategoricalDtype) and list(column.cat.categories) == list(indicators):
        return column.cat.codes.to_numpy().astype(np.int64)
    return pd.Categorical(column.astype(object), categories=indicators).codes.astype(np.int64)


def _compact(unit: np.ndarray, n_possible: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(unit, return_inverse=True)`` in linear time for codes in ``[0, n_possible)``."""
    if not len(unit) or unit.min() < 0 or n_possible > 4 * len(unit) + 1024:
        return np.unique(unit, return_inverse=True)
    used = np.bincount(unit, minlength=n_possible) > 0
    used_units = np.flatnonzero(used)
    position = np.full(n_possible, -1, dtype=np.int64)
    position[used_units] = np.arange(len(used_units))
    return used_units, position[unit]


def _first_per_unit(table: pd.DataFrame, columns: list[str], unit: np.ndarray, n_units: int) -> pd.DataFrame:
    """``table[columns].groupby(unit).first()`` (first non-missing value of each column per unit),
    taking each unit's first row, and grouping only the columns where that row is missing."""
    if not columns:
        return pd.DataFrame(index=pd.RangeIndex(n_units))
    first = np.full(n_units, len(table), dtype=np.int64)
    np.minimum.at(first, unit, np.arange(len(table), dtype=np.int64))
    out = table[columns].iloc[first].reset_index(drop=True)
    for column in columns:
        if out[column].isna().any():
            grouped = table[column].groupby(unit, sort=True).first()
            out[column] = grouped.reindex(range(n_units)).reset_index(drop=True)
    return out


def normalise_values(values: pd.DataFrame, framework: Framework, method: str = "scale",
                     target: tuple[float, float] = (0.0, 100.0)) -> pd.DataFrame:
    """Normalise wide indicator values; relative methods work within each cycle."""
    table = framework.table.loc[values.columns]
    lo = table["min"].to_numpy(dtype=float)
    hi = table["max"].to_numpy(dtype=float)
    direction = table["direction"].to_numpy(dtype=float)
    if not normaliser(method).relative and (np.isnan(lo).any() or np.isnan(hi).any()):
        missing = table.index[np.isnan(lo) | np.isnan(hi)].tolist()
        raise OptionError.single(
            "SC404", Location(framework.source),
            detail=f"'{method}' needs min and max for every indicator; missing for {', '.join(missing[:5])}",
        )
    x = values.to_numpy(dtype=float)
    if normaliser(method).relative:
        out = np.full_like(x, np.nan)
        cycles = values.index.get_level_values("cycle")
        for c in pd.unique(cycles):
            rows = np.flatnonzero(cycles == c) if not pd.isna(c) else np.flatnonzero(cycles.isna())
            out[rows] = normalise_block(method, x[rows], lo, hi, direction, target)
    else:
        out = normalise_block(method, x, lo, hi, direction, target)
    return pd.DataFrame(out, index=values.index, columns=values.columns)


# --- units and gaps in the data: COINr's Screen, Impute and Treat ------------------------------


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


TREATMENT_COLUMNS = ["code", "winsorised_low", "winsorised_high", "transform", "passes"]
SCREEN_COLUMNS = [
    "n_missing", "n_zero", "availability", "share_nonzero", "low_data", "kept",
]


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


def screen_units(
    raw: pd.DataFrame, threshold: float = DEFAULT_SCREEN
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


def _cycle_blocks(index: pd.MultiIndex) -> list[np.ndarray]:
    """Row positions of each cycle (rows without a cycle form one block of their own)."""
    codes, uniques = pd.factorize(index.get_level_values("cycle"), use_na_sentinel=True)
    blocks = [np.flatnonzero(codes == k) for k in range(len(uniques))]
    if (codes < 0).any():
        blocks.append(np.flatnonzero(codes < 0))
    return blocks


def _screen(raw: pd.DataFrame, counts: pd.DataFrame, regions: pd.DataFrame, threshold: float
            ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    """Every stage without the units below ``threshold``; and those units, as "region (cycle)"."""
    _, table = screen_units(raw, threshold)
    keep = table["kept"].to_numpy(dtype=bool)
    dropped = [f"{region} ({cycle})" for cycle, region in raw.index[~keep]]
    return raw[keep], counts[keep], regions[keep], dropped


def impute_values(raw: pd.DataFrame, regions: pd.DataFrame, method: str = "mean",
                  group: str = "region_type") -> tuple[pd.DataFrame, int]:
    """:func:`impute` within each cycle; and how many values were filled.

    ``group`` names the column of ``regions`` (indexed like ``raw``) that ``"group_mean"``
    averages within; SC401 when there is no such column.
    """
    if method not in IMPUTATIONS:
        raise OptionError.single("SC401", Location(),
                                 detail=f"--impute {method!r}; choose from {', '.join(IMPUTATIONS)}")
    if method == "none":
        return raw.copy(), 0
    groups = None
    if method == "group_mean":
        if group not in regions.columns:
            raise OptionError.single(
                "SC401", Location(),
                detail=Bilingual(f"--impute-group {group!r}: daerah tidak punya kolom itu; "
                                 f"kolom: {', '.join(map(str, regions.columns)) or '-'}",
                                 f"--impute-group {group!r}: the regions have no such column; "
                                 f"columns: {', '.join(map(str, regions.columns)) or '-'}"))
        groups = regions[group]
    out = raw.astype(float).copy()
    for rows in _cycle_blocks(raw.index):
        block = raw.iloc[rows]
        filled = impute(block, method, None if groups is None else groups.iloc[rows])
        out.iloc[rows] = filled.to_numpy()
    return out, int(raw.isna().to_numpy().sum() - out.isna().to_numpy().sum())


def treat_values(raw: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`treat_outliers` within each cycle, log-transformed indicators kept on their range.

    An indicator that COINr's treatment log-transforms (``log_CT``) is mapped linearly back
    onto the range of its values before treatment (same minimum and maximum), so an absolute
    normalisation (``scale``, ``none``) still reads it on the instrument's scale. Relative
    normalisations (minmax, zscore, rank) are unchanged by that linear map: with them the
    result is COINr's ``Treat`` then ``Normalise`` (to round-off).

    Returns
    -------
    treated, log
        The treated values (same index and columns) and :func:`treat_outliers`' log with a
        leading ``cycle`` column.
    """
    out = raw.astype(float).copy()
    logs = []
    cycles = raw.index.get_level_values("cycle")
    for rows in _cycle_blocks(raw.index):
        block = raw.iloc[rows].astype(float)
        treated, log = treat_outliers(block)
        for code in log.loc[log["transform"] == "log_CT", "code"]:
            x, t = block[code].to_numpy(), treated[code].to_numpy()
            lo, hi, t_lo, t_hi = np.nanmin(x), np.nanmax(x), np.nanmin(t), np.nanmax(t)
            if t_hi > t_lo:
                treated[code] = lo + (t - t_lo) / (t_hi - t_lo) * (hi - lo)
        out.iloc[rows] = treated.to_numpy()
        logs.append(log.assign(cycle=cycles[rows[0]]))
    log = pd.concat(logs, ignore_index=True) if logs else pd.DataFrame(columns=["cycle", *TREATMENT_COLUMNS])
    return out, log[["cycle", *TREATMENT_COLUMNS]]


def _treatment_summary(log: pd.DataFrame) -> str:
    parts = []
    for transform in ("winsorise", "log_CT"):
        hit = log[log["transform"] == transform]
        if len(hit):
            parts.append(f"{transform} {len(hit)} ({', '.join(f'{c} {y}' for c, y in zip(hit['code'], hit['cycle'], strict=True))})")
    return "; ".join(parts) or "nothing to treat"


def score_values(raw: pd.DataFrame, counts: pd.DataFrame, regions: pd.DataFrame,
                 framework: Framework, options: ScoringOptions) -> Scores:
    """Screen, impute, treat, normalise and aggregate combined indicator values.

    The part of :func:`score` after loading. Screening drops units from every stage;
    imputation and outlier treatment change only what is normalised (``Scores.raw`` keeps the
    answers).
    """
    notes: list[str] = []
    if options.screen is not None:
        raw, counts, regions, dropped = _screen(raw, counts, regions, options.screen)
        notes.append(f"screen units: availability >= {options.screen}: "
                     + (f"dropped {len(dropped)}: {', '.join(dropped)}" if dropped else "none dropped"))
    prepared = raw
    if options.impute != "none":
        prepared, filled = impute_values(prepared, regions, options.impute, options.impute_group)
        notes.append(f"impute: {options.impute}"
                     + (f" ({options.impute_group})" if options.impute == "group_mean" else "")
                     + f" within each cycle, {filled} values filled")
    if options.treat_outliers:
        prepared, treatment = treat_values(prepared)
        notes.append("treat outliers (COINr: winsorise up to 5 points, else log_CT) within each cycle: "
                     + _treatment_summary(treatment))
    normalised = normalise_values(prepared, framework, options.normalise, options.target_range)
    tree = Tree.from_framework(framework)
    if options.aggregate == "geometric" and np.nanmin(normalised.to_numpy(), initial=np.inf) < 0:
        raise OptionError.single("SC404", Location(), detail=Bilingual("agregasi geometrik atas skor negatif",
                                                                        "geometric aggregation of negative scores"))
    x = normalised[list(framework.indicators)].to_numpy()
    values, coverage = aggregate_tree(
        x, tree, method=options.aggregate, missing=options.missing, min_coverage=options.min_coverage
    )
    columns = pd.Index(tree.codes, name="code")
    log = [
        f"combine respondents: {options.respondents}",
        *notes,
        f"normalise: {options.normalise} -> {list(options.target_range)}",
        f"aggregate: {options.aggregate}, missing={options.missing}, min_coverage={options.min_coverage}",
    ]
    return Scores(
        framework=framework,
        options=options,
        raw=raw,
        n_respondents=counts,
        normalised=normalised,
        values=pd.DataFrame(values, index=raw.index, columns=columns),
        coverage=pd.DataFrame(coverage, index=raw.index, columns=columns),
        regions=regions,
        log=log,
    )


def answers_table(answers: Answers | pd.DataFrame, framework: Framework | None = None
                  ) -> tuple[pd.DataFrame, Framework]:
    """The tidy answers and their instrument, from :class:`~.loading.Answers` or a DataFrame
    (default instrument; a missing respondent column means one respondent per region)."""
    if isinstance(answers, Answers):
        return answers.table, framework or answers.framework
    if framework is None:
        from ..input.framework import default_framework

        framework = default_framework()
    table = answers if "respondent" in answers.columns else answers.assign(respondent=None)
    return table, framework


def score(answers: Answers | pd.DataFrame, framework: Framework | None = None,
          options: ScoringOptions | None = None, **option_overrides) -> Scores:
    """Score loaded answers.

    Parameters
    ----------
    answers
        :class:`~.loading.Answers`, or a tidy DataFrame with at least cycle, region,
        indicator, value (respondent and grouping columns optional).
    framework
        Defaults to the answers' instrument.
    options, option_overrides
        :class:`ScoringOptions`, or its fields as keywords (``normalise="minmax"``).

    Examples
    --------
    >>> from smartcity_analysis import load_answers, score
    >>> scores = score(load_answers("data/raw/templates"))            # doctest: +SKIP
    >>> scores.level("dimension", cycle=2024).round(1)                 # doctest: +SKIP
    """
    table, framework = answers_table(answers, framework)
    options = replace(options or ScoringOptions(), **option_overrides)
    raw, counts, regions = combine_respondents(table, framework, options.respondents)
    return score_values(raw, counts, regions, framework, options)
