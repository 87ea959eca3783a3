"""Comparison of regions: ranks, cohort statistics, distances, peer groups, change over cycles.

Every function takes a :class:`~.scoring.Scores` and returns a tidy DataFrame keyed by
``cycle, region, code`` so that tables join on the same keys everywhere.
"""

from __future__ import annotations

import pandas as pd

from ..model.scoring import KEY, Scores


def rank_scores(values: pd.DataFrame) -> pd.DataFrame:
    """Rank regions within each cycle, per column: 1 is best, ties share the best rank."""
    return values.groupby(level="cycle").rank(method="min", ascending=False).astype("Int64")


def ranks(scores: Scores, levels: tuple[str, ...] = ("index", "dimension", "sub-dimension")) -> pd.DataFrame:
    """Long table: cycle, region, code, level, score, rank, n_ranked."""
    codes = [c for lvl in levels for c in scores.framework.codes_at(lvl)]
    values = scores.values[codes]
    ranked = rank_scores(values)
    n_ranked = values.notna().groupby(level="cycle").transform("sum")
    out = values.stack(future_stack=True).rename("score").to_frame()
    out["rank"] = ranked.stack(future_stack=True).to_numpy()
    out["n_ranked"] = n_ranked.stack(future_stack=True).to_numpy().astype(int)
    out.index = out.index.set_names([*KEY, "code"])
    out = out.reset_index()
    out["level"] = out["code"].map(scores.framework.table["level"])
    return out[[*KEY, "code", "level", "score", "rank", "n_ranked"]]


def cohort_statistics(scores: Scores, by: str | None = None) -> pd.DataFrame:
    """Per cycle (and group ``by``) and code: n, mean, median, q1, q3, min, best, best_region."""
    long = scores.values.stack(future_stack=True).rename("score").to_frame()
    long.index = long.index.set_names([*KEY, "code"])
    long = long.reset_index()
    keys = ["cycle", "code"]
    if by:
        groups = scores.regions[by].rename(by)
        long = long.merge(groups.reset_index(), on=KEY, how="left")
        keys = ["cycle", by, "code"]
    grouped = long.groupby(keys, sort=True, observed=True, dropna=False)["score"]
    stats = grouped.agg(["count", "mean", "median", "min", "max"]).rename(
        columns={"count": "n", "max": "best"})
    quartiles = grouped.quantile([0.25, 0.75]).unstack()
    stats.insert(3, "q1", quartiles[0.25])
    stats.insert(4, "q3", quartiles[0.75])
    valid = long.dropna(subset=["score"])
    best_rows = valid.loc[valid.groupby(keys, observed=True, dropna=False)["score"].idxmax()]
    stats = stats.join(best_rows.set_index(keys)["region"].rename("best_region"))
    return stats.reset_index()


def distances(scores: Scores, by: str | None = None) -> pd.DataFrame:
    """Each region's score, cohort median and best, and its distance to both (negative = below)."""
    stats = cohort_statistics(scores, by)
    long = scores.values.stack(future_stack=True).rename("score").to_frame()
    long.index = long.index.set_names([*KEY, "code"])
    long = long.reset_index()
    keys = ["cycle", "code"]
    if by:
        long = long.merge(scores.regions[by].reset_index(), on=KEY, how="left")
        keys = ["cycle", by, "code"]
    out = long.merge(stats[[*keys, "median", "best"]], on=keys, how="left")
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
    """
    table = ranks(scores, levels).sort_values(["region", "code", "cycle"])
    grouped = table.groupby(["region", "code"], sort=False, observed=True)
    table["previous_cycle"] = grouped["cycle"].shift(1)
    table["previous_score"] = grouped["score"].shift(1)
    table["previous_rank"] = grouped["rank"].shift(1)
    table["score_change"] = table["score"] - table["previous_score"]
    table["rank_change"] = (table["previous_rank"] - table["rank"]).astype("Int64")
    return table.sort_values([*KEY, "code"]).reset_index(drop=True)


def comparison_table(scores: Scores, by: str | None = None) -> pd.DataFrame:
    """Ranks, distances and changes in one table (what `smartcity score` writes as comparison.csv)."""
    base = changes(scores)
    dist = distances(scores, by)[[*KEY, "code", "median", "best", "to_median", "to_best"]]
    out = base.merge(dist, on=[*KEY, "code"], how="left")
    return out
