"""Comparison of regions: ranks, cohort statistics, distances, peer groups, change over cycles.

Every function takes a :class:`~.scoring.Scores` and returns a tidy DataFrame keyed by
``cycle, region, code`` so that tables join on the same keys everywhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..model.scoring import KEY, Scores


def rank_scores(values: pd.DataFrame) -> pd.DataFrame:
    """Rank regions within each cycle, per column: 1 is best, ties share the best rank."""
    return values.groupby(level="cycle").rank(method="min", ascending=False).astype("Int64")


# The long tables below are built from the wide scores (one row per unit, one column per code)
# with repeat/tile and per-unit lookups: stacking, merging and grouping millions of long rows (every
# desa: 83,762 units x 25 to 90 codes) took minutes. Group statistics are computed by pandas on the
# wide columns, which accumulates each group's values in the same row order as the long groupby did.


def _long_keys(index: pd.MultiIndex, codes: list[str]) -> pd.DataFrame:
    """``cycle, region, code`` of every (unit, code), units outer, as ``stack`` orders them."""
    n_codes = len(codes)
    return pd.DataFrame({
        "cycle": index.get_level_values("cycle").repeat(n_codes),
        "region": np.repeat(index.get_level_values("region").to_numpy(dtype=object), n_codes),
        "code": np.tile(np.asarray(codes, dtype=object), len(index)),
    })


def _sorted_units(index: pd.MultiIndex, first: str, second: str) -> np.ndarray:
    """Unit positions sorted by two index levels (missing cycles last), as ``sort_values`` does."""
    def key(name: str) -> np.ndarray:
        level = index.get_level_values(name)
        codes, uniques = pd.factorize(level, sort=True, use_na_sentinel=True)
        return np.where(codes < 0, len(uniques), codes)

    return np.lexsort((key(second), key(first)))


def ranks(scores: Scores, levels: tuple[str, ...] = ("index", "dimension", "sub-dimension")) -> pd.DataFrame:
    """Long table: cycle, region, code, level, score, rank, n_ranked."""
    codes = [c for lvl in levels for c in scores.framework.codes_at(lvl)]
    values = scores.values[codes]
    ranked = rank_scores(values)
    n_ranked = values.notna().groupby(level="cycle").transform("sum")
    out = _long_keys(values.index, codes)
    out["level"] = np.tile(scores.framework.table["level"].reindex(codes).to_numpy(dtype=object), len(values))
    out["score"] = values.to_numpy(dtype=float).ravel()
    # an Int64 column as the long table held it (int64 when complete, else float with NaN)
    out["rank"] = pd.array(ranked.to_numpy(dtype=float, na_value=np.nan).ravel(), dtype="Int64").to_numpy()
    out["n_ranked"] = n_ranked.to_numpy().ravel().astype(int)
    return out[[*KEY, "code", "level", "score", "rank", "n_ranked"]]


def _group_numbers(scores: Scores, by: str | None) -> tuple[np.ndarray, list[pd.Series]]:
    """Each unit's group (cycle, or cycle and ``by``) numbered in sorted order, and the keys."""
    index = scores.values.index
    keys = [pd.Series(index.get_level_values("cycle"), index=index, name="cycle")]
    if by:
        keys.append(scores.regions[by].rename(by))
    groups = scores.values.iloc[:, :0].groupby(keys, sort=True, observed=True, dropna=False).ngroup()
    return groups.to_numpy(), keys


def _group_means(values: pd.DataFrame, groups: np.ndarray) -> pd.DataFrame:
    """Means per group and column, summed as the long table's groupby summed them.

    pandas sums groups whose rows are sorted with ``np.add.reduceat`` and interleaved ones with
    its compensated (Kahan) loop; the long table's groups were interleaved, the wide one's are
    sorted. A leading empty row of an extra group unsorts them, so the same loop adds the same
    values in the same order, and the extra group is dropped.
    """
    n_groups = int(groups.max(initial=-1)) + 1
    padded = np.vstack([np.full((1, values.shape[1]), np.nan), values.to_numpy(dtype=float)])
    means = pd.DataFrame(padded).groupby(np.concatenate([[n_groups], groups])).mean().to_numpy()[:n_groups]
    return pd.DataFrame(means, columns=values.columns)


def _best_rows(x: np.ndarray, groups: np.ndarray, best: np.ndarray) -> np.ndarray:
    """(groups, codes): the first row of each group holding its best score, -1 where none."""
    n = len(x)
    rows = np.where(x == best[groups], np.arange(n)[:, None], n)
    first = pd.DataFrame(rows).groupby(groups, sort=True).min().to_numpy()
    return np.where(first < n, first, -1)


def cohort_statistics(scores: Scores, by: str | None = None) -> pd.DataFrame:
    """Per cycle (and group ``by``) and code: n, mean, median, q1, q3, min, best, best_region."""
    codes = sorted(scores.values.columns)  # the long table's order: codes sorted within each group
    values = scores.values[codes]
    groups, keys = _group_numbers(scores, by)
    grouped = values.groupby(keys, sort=True, observed=True, dropna=False)
    stats = {
        "n": grouped.count(), "mean": _group_means(values, groups), "median": grouped.median(),
        "q1": grouped.quantile(0.25), "q3": grouped.quantile(0.75), "min": grouped.min(),
        "best": grouped.max(),
    }
    first = stats["n"].index
    out = first.to_frame(index=False).loc[np.repeat(np.arange(len(first)), len(codes))].reset_index(drop=True)
    out["code"] = np.tile(np.asarray(codes, dtype=object), len(first))
    for name, frame in stats.items():
        out[name] = frame.to_numpy().ravel()
    best_row = _best_rows(values.to_numpy(dtype=float), groups, stats["best"].to_numpy(dtype=float)).ravel()
    region = values.index.get_level_values("region").to_numpy(dtype=object)
    out["best_region"] = np.where(best_row >= 0, region[np.maximum(best_row, 0)], np.nan)
    out["cycle"] = out["cycle"].astype(scores.values.index.get_level_values("cycle").dtype)
    return out


def _medians_and_best(scores: Scores, codes: list[str], by: str | None) -> tuple[np.ndarray, np.ndarray]:
    """(units, codes): the cohort median and best score of each unit's group."""
    values = scores.values[codes]
    groups, keys = _group_numbers(scores, by)
    grouped = values.groupby(keys, sort=True, observed=True, dropna=False)
    return (grouped.median().to_numpy(dtype=float)[groups], grouped.max().to_numpy(dtype=float)[groups])


def distances(scores: Scores, by: str | None = None) -> pd.DataFrame:
    """Each region's score, cohort median and best, and its distance to both (negative = below)."""
    codes = list(scores.values.columns)
    out = _long_keys(scores.values.index, codes)
    out["score"] = scores.values.to_numpy(dtype=float).ravel()
    if by:
        out[by] = np.repeat(scores.regions[by].to_numpy(dtype=object), len(codes))
    median, best = _medians_and_best(scores, codes, by)
    out["median"], out["best"] = median.ravel(), best.ravel()
    out["to_median"] = out["score"] - out["median"]
    out["to_best"] = out["score"] - out["best"]
    out["level"] = out["code"].map(scores.framework.table["level"])
    return out


def peer_groups(scores: Scores) -> list[str]:
    """Grouping columns usable for peer comparison (more than one group, not one per region)."""
    out = []
    n_regions = scores.regions.index.get_level_values("region").nunique()
    for column in scores.regions.columns:
        k = scores.regions[column].nunique(dropna=True)
        if 1 < k < n_regions:
            out.append(column)
    return out


def changes(scores: Scores, levels: tuple[str, ...] = ("index", "dimension", "sub-dimension")) -> pd.DataFrame:
    """Change since the previous cycle each region took part in: score and rank.

    Columns: cycle, region, code, level, score, rank, previous_cycle, previous_score,
    previous_rank, score_change, rank_change (positive = moved up the ranking).
    Rows sorted by cycle, region and code.
    """
    return _changes(scores, levels)[0]


def _changes(scores: Scores, levels: tuple[str, ...]) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """:func:`changes`, and the unit and code positions of its rows (units outer)."""
    table = ranks(scores, levels)
    index = scores.values.index
    n_units = len(index)
    n_codes = len(table) // n_units if n_units else 0
    # each unit's previous one: the same region's unit in the cycle before it, -1 for none
    by_region = _sorted_units(index, "region", "cycle")
    region = index.get_level_values("region").to_numpy(dtype=object)
    previous = np.full(n_units, -1)
    same = region[by_region[1:]] == region[by_region[:-1]]
    previous[by_region[1:][same]] = by_region[:-1][same]
    has = np.repeat(previous >= 0, n_codes)
    source = np.repeat(np.maximum(previous, 0) * n_codes, n_codes) + np.tile(np.arange(n_codes), n_units)
    previous_cycle = table["cycle"].array.take(source)
    previous_cycle[~has] = pd.NA
    table["previous_cycle"] = previous_cycle
    table["previous_score"] = np.where(has, table["score"].to_numpy()[source], np.nan)
    table["previous_rank"] = np.where(has, table["rank"].to_numpy(dtype=float)[source], np.nan)
    table["score_change"] = table["score"] - table["previous_score"]
    table["rank_change"] = (table["previous_rank"] - table["rank"]).astype("Int64")
    code_order = np.argsort(np.asarray(table["code"].iloc[:n_codes], dtype=object), kind="stable")
    unit_order = _sorted_units(index, "cycle", "region")
    rows = (unit_order[:, None] * n_codes + code_order[None, :]).ravel()
    return table.take(rows).reset_index(drop=True), unit_order, code_order


def comparison_table(scores: Scores, by: str | None = None) -> pd.DataFrame:
    """Ranks, distances and changes in one table (what `smartcity score` writes as comparison.csv)."""
    levels = ("index", "dimension", "sub-dimension")
    out, unit_order, code_order = _changes(scores, levels)
    codes = [c for lvl in levels for c in scores.framework.codes_at(lvl)]
    median, best = _medians_and_best(scores, codes, by)
    out["median"] = median[unit_order][:, code_order].ravel()
    out["best"] = best[unit_order][:, code_order].ravel()
    out["to_median"] = out["score"] - out["median"]
    out["to_best"] = out["score"] - out["best"]
    return out
