"""Comparison tables and the maturity ladder, by hand."""

import numpy as np
import pandas as pd
import pytest

from smartcity_analysis.analysis import compare
from smartcity_analysis.input.framework import framework_from_table
from smartcity_analysis.model.maturity import SPBE_LADDER, MaturityLadder
from smartcity_analysis.model.scoring import score
from smartcity_analysis.presentation.narrative import summary_sentence

FW = framework_from_table(pd.DataFrame({
    "code": ["R", "D1", "D2", "x", "y"], "parent": ["", "R", "R", "D1", "D2"],
    "min": ["", "", "", "1", "1"], "max": ["", "", "", "5", "5"]}))


def frame(values_by_cycle):
    rows = []
    for cycle, regions in values_by_cycle.items():
        for region, (x, y, kind) in regions.items():
            rows += [(cycle, region, "a", "x", x, kind), (cycle, region, "a", "y", y, kind)]
    return pd.DataFrame(rows, columns=["cycle", "region", "respondent", "indicator", "value", "region_type"])


DATA = frame({
    2023: {"P": (2, 2, "kota"), "Q": (4, 4, "kabupaten"), "S": (3, 3, "kabupaten")},
    2024: {"P": (5, 5, "kota"), "Q": (4, 4, "kabupaten"), "S": (4, 4, "kabupaten")},
})


def test_ranks_ties_share_best_rank():
    r = compare.ranks(score(DATA, FW), ("index",))
    r24 = r[r["cycle"] == 2024].set_index("region")["rank"]
    assert r24.to_dict() == {"P": 1, "Q": 2, "S": 2}
    assert (r["n_ranked"] == 3).all()


def test_changes_since_previous_cycle():
    ch = compare.changes(score(DATA, FW), ("index",)).set_index(["cycle", "region"])
    assert ch.loc[(2024, "P"), "score_change"] == pytest.approx(75.0)  # 25 -> 100
    assert ch.loc[(2024, "P"), "rank_change"] == 2  # 3rd -> 1st
    assert ch.loc[(2024, "Q"), "rank_change"] == -1
    assert pd.isna(ch.loc[(2023, "P"), "previous_score"])


def test_cohort_statistics_and_distances():
    s = score(DATA, FW)
    stats = compare.cohort_statistics(s).set_index(["cycle", "code"])
    row = stats.loc[(2024, "R")]
    assert row["median"] == pytest.approx(75.0) and row["best"] == 100 and row["best_region"] == "P"
    assert row["q1"] == pytest.approx(75.0) and row["mean"] == pytest.approx(250 / 3)
    d = compare.distances(s).set_index(["cycle", "region", "code"])
    assert d.loc[(2024, "S", "R"), "to_median"] == 0
    assert d.loc[(2024, "S", "R"), "to_best"] == pytest.approx(-25.0)


def test_peer_groups_from_grouping_columns():
    s = score(DATA, FW)
    assert compare.peer_groups(s) == ["region_type"]
    by = compare.cohort_statistics(s, by="region_type").set_index(["cycle", "region_type", "code"])
    assert by.loc[(2024, "kabupaten", "R"), "n"] == 2
    assert by.loc[(2024, "kota", "R"), "best_region"] == "P"


def test_summary_sentence_in_both_languages():
    s = score(DATA, FW)
    assert summary_sentence(s, "P", lang="id") == "P: indeks 100,0, peringkat 1 dari 3, +75,0 poin sejak 2023"
    assert summary_sentence(s, "P", lang="en") == "P: index 100.0, rank 1 of 3, +75.0 points since 2023"
    assert summary_sentence(s, "Q", lang="id") == "Q: indeks 75,0, peringkat 2 dari 3, 0,0 poin sejak 2023"
    assert summary_sentence(s, "P", cycle=2023, lang="id") == "P: indeks 25,0, peringkat 3 dari 3"


@pytest.mark.parametrize(("native", "level", "name"), [
    (1.0, 1, "Kurang"), (1.79, 1, "Kurang"), (1.8, 2, "Cukup"), (2.6, 3, "Baik"),
    (3.49, 3, "Baik"), (3.5, 4, "Sangat Baik"), (4.2, 5, "Memuaskan"), (5.0, 5, "Memuaskan"),
])
def test_spbe_bands_native(native, level, name):
    assert SPBE_LADDER.level_of([native])[0] == level
    assert SPBE_LADDER.name_of([native])[0] == name


def test_spbe_bands_percent_equivalents():
    np.testing.assert_allclose(SPBE_LADDER.thresholds((0, 100)), [20, 40, 62.5, 80])
    assert SPBE_LADDER.name_of([62.5], (0, 100), lang="en")[0] == "Very good"
    assert SPBE_LADDER.level_of([np.nan])[0] == 0
    np.testing.assert_allclose(SPBE_LADDER.next_threshold([10, 70, 90], (0, 100)), [20, 80, np.nan])


def test_ladder_from_csv(tmp_path):
    path = tmp_path / "ladder.csv"
    path.write_text("# scale: 0, 10\nlevel,name_id,name_en,lower\n1,Rendah,Low,0\n2,Tinggi,High,5\n")
    ladder = MaturityLadder.from_csv(path)
    assert ladder.native == (0.0, 10.0)
    assert list(ladder.name_of([4.9, 5.0])) == ["Rendah", "Tinggi"]
    assert ladder.thresholds((0, 100)).tolist() == [50.0]
