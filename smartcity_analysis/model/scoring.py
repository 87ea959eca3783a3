"""Scoring: answers in, scores for every indicator, sub-dimension, dimension and the index out.

The pipeline is COINr's, one step per function: :func:`combine_respondents` (several OPD
answers per region to one value), :func:`normalise_values` (see :mod:`.normalise`), then
:func:`~.aggregate.aggregate_tree`. :func:`score` runs them all and returns one
:class:`Scores` object that holds every stage (raw, normalised, aggregated), the options used
and a log, like a COINr "coin": change one option, score again, compare.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

import numpy as np
import pandas as pd

from ..errors import Location, OptionError
from ..input.framework import Framework
from ..input.loading import ANSWER_COLUMNS, SOURCE_COLUMNS, Answers
from .aggregate import AGGREGATIONS, MISSING_RULES, Tree, aggregate_tree
from .normalise import METHODS, RELATIVE_METHODS, normalise_block

RESPONDENT_RULES = ("mean", "median")
KEY = ["cycle", "region"]


@dataclass(frozen=True)
class ScoringOptions:
    """How scores are made; every output records these (the recipe)."""

    normalise: str = "scale"
    aggregate: str = "arithmetic"
    missing: str = "available"
    min_coverage: float = 0.5
    respondents: str = "mean"

    def __post_init__(self) -> None:
        checks = [
            ("normalise", self.normalise, METHODS),
            ("aggregate", self.aggregate, AGGREGATIONS),
            ("missing", self.missing, MISSING_RULES),
            ("respondents", self.respondents, RESPONDENT_RULES),
        ]
        for name, value, allowed in checks:
            if value not in allowed:
                raise OptionError.single(
                    "SC401", Location(), detail=f"--{name} {value!r}; choose from {', '.join(allowed)}"
                )
        if not 0.0 <= float(self.min_coverage) <= 1.0:
            raise OptionError.single("SC401", Location(), detail=f"--min-coverage {self.min_coverage}: use 0 to 1")
        if self.aggregate == "geometric" and self.normalise == "zscore":
            raise OptionError.single(
                "SC401", Location(),
                detail="geometric aggregation needs positive scores; z-scores are not (use scale, minmax or rank)",
            )

    @property
    def target_range(self) -> tuple[float, float]:
        """Normalised range: 0-100, or 1-100 for geometric means (COINr's advice: no zeros)."""
        return (1.0, 100.0) if self.aggregate == "geometric" else (0.0, 100.0)

    @property
    def native_scale(self) -> bool:
        return self.normalise == "none"


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
        if self.options.native_scale:
            t = self.framework.table.loc[self.framework.indicators]
            return float(t["min"].min()), float(t["max"].max())
        if self.options.normalise == "zscore":
            return (-3.0, 3.0)
        return self.options.target_range

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
        long = self.values.stack(future_stack=True).rename("score").to_frame()
        long["coverage"] = self.coverage.stack(future_stack=True).to_numpy()
        long.index = long.index.set_names([*KEY, "code"])
        long = long.reset_index()
        long["level"] = long["code"].map(fw["level"])
        long["depth"] = long["code"].map(fw["depth"])
        n = self.n_respondents.stack(future_stack=True)
        n.index = n.index.set_names([*KEY, "code"])
        raw = self.raw.stack(future_stack=True)
        raw.index = raw.index.set_names([*KEY, "code"])
        long = long.merge(n.rename("n_respondents").reset_index(), on=[*KEY, "code"], how="left")
        long = long.merge(raw.rename("raw").reset_index(), on=[*KEY, "code"], how="left")
        long["n_respondents"] = long["n_respondents"].astype("Int64")
        if lang:
            long["name"] = long["code"].map(self.framework.names(lang))
        cols = [*KEY, "code", "level", "depth", "score", "coverage", "n_respondents", "raw"]
        return long[cols + (["name"] if lang else [])]

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
    if method in ("scale", "none") and (np.isnan(lo).any() or np.isnan(hi).any()):
        missing = table.index[np.isnan(lo) | np.isnan(hi)].tolist()
        raise OptionError.single(
            "SC404", Location(framework.source),
            detail=f"'{method}' needs min and max for every indicator; missing for {', '.join(missing[:5])}",
        )
    x = values.to_numpy(dtype=float)
    if method in RELATIVE_METHODS:
        out = np.full_like(x, np.nan)
        cycles = values.index.get_level_values("cycle")
        for c in pd.unique(cycles):
            rows = np.flatnonzero(cycles == c) if not pd.isna(c) else np.flatnonzero(cycles.isna())
            out[rows] = normalise_block(method, x[rows], lo, hi, direction, target)
    else:
        out = normalise_block(method, x, lo, hi, direction, target)
    return pd.DataFrame(out, index=values.index, columns=values.columns)


def score_values(raw: pd.DataFrame, counts: pd.DataFrame, regions: pd.DataFrame,
                 framework: Framework, options: ScoringOptions) -> Scores:
    """Normalise and aggregate combined indicator values (the part of :func:`score` after loading)."""
    normalised = normalise_values(raw, framework, options.normalise, options.target_range)
    tree = Tree.from_framework(framework)
    if options.aggregate == "geometric" and np.nanmin(normalised.to_numpy(), initial=np.inf) < 0:
        raise OptionError.single("SC404", Location(), detail="geometric aggregation of negative scores")
    x = normalised[list(framework.indicators)].to_numpy()
    values, coverage = aggregate_tree(
        x, tree, method=options.aggregate, missing=options.missing, min_coverage=options.min_coverage
    )
    columns = pd.Index(tree.codes, name="code")
    log = [
        f"combine respondents: {options.respondents}",
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
