"""Gap analysis: targets every way, gaps, index points by hand, aspects, priorities, progress, CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity_analysis.analysis.gaps import (
    DEFAULT_RULE,
    LABELS,
    gap_analysis,
    gap_sheet_frame,
    indicator_effort,
    parse_target_rules,
    proposed_horizon,
    read_targets,
    readiness_matrix,
)
from smartcity_analysis.cli.main import main
from smartcity_analysis.errors import SmartCityError
from smartcity_analysis.input.framework import framework_from_table
from smartcity_analysis.model.scoring import score
from smartcity_analysis.presentation.narrative import gap_summary
from smartcity_analysis.presentation.workbook import write_gaps

# IDX <- D1 <- S1 <- A1 (weight 2, Struktur), A2 (Suprastruktur)
#            <- S2 <- B1 (Infrastruktur), B2 (Suprastruktur); every indicator 1-5.
FW_TABLE = pd.DataFrame({
    "code": ["IDX", "D1", "S1", "S2", "A1", "A2", "B1", "B2"],
    "parent": ["", "IDX", "D1", "D1", "S1", "S1", "S2", "S2"],
    "weight": ["", "", "", "", "2", "1", "1", "1"],
    "min": ["", "", "", "", "1", "1", "1", "1"],
    "max": ["", "", "", "", "5", "5", "5", "5"],
    "aspect": ["", "", "", "", "Struktur", "Suprastruktur", "Infrastruktur", "Suprastruktur"],
})
FW = framework_from_table(FW_TABLE)
INDICATORS = ["A1", "A2", "B1", "B2"]
BANGLI, SOLOK = "Kabupaten Bangli", "Kota Solok"


def answers(values: dict[str, list], cycle: int = 2024) -> pd.DataFrame:
    rows = [(cycle, region, code, v) for region, vs in values.items()
            for code, v in zip(INDICATORS, vs, strict=True) if v is not None]
    return pd.DataFrame(rows, columns=["cycle", "region", "indicator", "value"])


# Bangli: A1=3 (50), A2=2 (25), B1=4 (75), B2 missing. Solok: A1=5 (100), A2=1 (0), B1=2 (25), B2=3 (50).
HAND = answers({BANGLI: [3, 2, 4, None], SOLOK: [5, 1, 2, 3]})
HAND_TARGETS = pd.DataFrame({"code": INDICATORS, "target": [75, 50, 75, 100]})


@pytest.fixture(scope="module")
def hand():
    return gap_analysis(score(HAND, FW), HAND_TARGETS)


def row(table: pd.DataFrame, region: str, code: str) -> pd.Series:
    hit = table[(table["region"] == region) & (table["code"] == code)]
    assert len(hit) == 1
    return hit.iloc[0]


# --- the hand-computed case ----------------------------------------------------------------------


def test_index_points_by_hand(hand):
    t = hand.table()
    # Bangli now: S1 = (2*50 + 25)/3 = 41.667; S2 = 75 (B2 missing, coverage 1/2); index = 58.333.
    assert row(t, BANGLI, "IDX")["current"] == pytest.approx(58.3333333)
    # A1 -> 75: S1 = (150 + 25)/3 = 58.333, index = (58.333 + 75)/2 = 66.667: +8.333
    assert row(t, BANGLI, "A1")["index_points"] == pytest.approx(25 / 3)
    # A2 -> 50: S1 = (100 + 50)/3 = 50, index = 62.5: +4.167
    assert row(t, BANGLI, "A2")["index_points"] == pytest.approx(25 / 6)
    # B1 already at 75: nothing to gain
    assert row(t, BANGLI, "B1")["index_points"] == 0
    # B2 missing, brought in at 100: S2 = (75 + 100)/2 = 87.5, index = 64.583: +6.25
    assert row(t, BANGLI, "B2")["index_points"] == pytest.approx(6.25)
    assert np.isnan(row(t, BANGLI, "B2")["gap"])  # no score, no gap figure
    # Solok now: S1 = 200/3, S2 = 37.5, index = 52.083
    # A2 -> 50: S1 = 250/3, index = 60.417: +8.333;  B1 -> 75 or B2 -> 100: S2 = 62.5: +12.5
    assert row(t, SOLOK, "A1")["index_points"] == 0
    assert row(t, SOLOK, "A2")["index_points"] == pytest.approx(25 / 3)
    assert row(t, SOLOK, "B1")["index_points"] == pytest.approx(12.5)
    assert row(t, SOLOK, "B2")["index_points"] == pytest.approx(12.5)
    # The index with every indicator at target (Bangli): S1 = (150+50)/3, S2 = 87.5 -> 77.083
    assert row(t, BANGLI, "IDX")["index_points"] == pytest.approx(77.0833333 - 58.3333333)


def test_gaps_at_every_level(hand):
    t = hand.table()
    assert set(t["level"]) == {"index", "dimension", "sub-dimension", "indicator"}
    assert len(t) == 2 * 8
    a1 = row(t, BANGLI, "A1")
    assert (a1["current"], a1["target"], a1["gap"]) == (50, 75, 25)
    assert row(t, SOLOK, "A1")["gap"] == 0  # 100 above the target 75: no negative gaps
    # Aggregates take the default rule: next-level. Index 58.3 is in "Baik" (40 to < 62.5).
    idx = row(t, BANGLI, "IDX")
    assert idx["target"] == 62.5 and idx["gap"] == pytest.approx(62.5 - 58.3333333)
    assert idx["target_rule"] == "default: next-level"
    # S2 = 75 is in "Sangat Baik" (62.5 to < 80): next is 80.
    assert row(t, BANGLI, "S2")["target"] == 80
    columns = {"cycle", "region", "code", "level", "current", "target", "gap", "index_points",
               "priority", "horizon", "target_rule", "dimension", "sub_dimension", "aspect", "effort"}
    assert columns <= set(t.columns)


def test_contributions_ranked_with_lineage(hand):
    c = hand.contributions
    bangli = c[c["region"] == BANGLI]
    assert bangli["code"].tolist() == ["A1", "B2", "A2", "B1"]
    assert bangli["rank"].tolist() == [1, 2, 3, 4]
    assert bangli.iloc[0][["dimension", "sub_dimension", "aspect"]].tolist() == ["D1", "S1", "Struktur"]
    assert bangli.set_index("code").at["B2", "missing"]
    # Index gap 4.167: A1 alone (8.333) closes all of it; A2 (4.167) exactly all of it.
    assert bangli.set_index("code").at["A1", "share_of_index_gap"] == 1.0
    assert bangli.set_index("code").at["A2", "share_of_index_gap"] == pytest.approx(1.0)
    assert bangli.set_index("code").at["B1", "share_of_index_gap"] == 0


def test_index_points_use_the_real_aggregation():
    # Geometric means and a strict missing rule change the gains: nothing linear is assumed.
    s = score(HAND, FW, aggregate="geometric")
    t = gap_analysis(s, HAND_TARGETS).table()
    # Solok, geometric (1-100 scale, percent targets as typed): A2 = 1 -> 50 lifts S1 = (100^2 * 1)^(1/3).
    a2 = row(t, SOLOK, "A2")["index_points"]
    x = {"A1": 100.0, "A2": 1.0, "B1": 25.75, "B2": 50.5}
    s2 = np.sqrt(x["B1"] * x["B2"])
    before = np.sqrt((x["A1"] ** 2 * x["A2"]) ** (1 / 3) * s2)
    after = np.sqrt((x["A1"] ** 2 * 50) ** (1 / 3) * s2)
    assert a2 == pytest.approx(after - before)
    strict = gap_analysis(score(HAND, FW, missing="strict"), HAND_TARGETS).table()
    # Bangli's index has no score with B2 missing; only bringing B2 in gives it one: NaN gain.
    assert np.isnan(row(strict, BANGLI, "A1")["index_points"])


def test_missing_indicator_at_a_low_target_counts_zero():
    # Bangli's B2 brought in at 0 would pull S2 from 75 to 37.5: a data gap, not a lift.
    targets = HAND_TARGETS.assign(target=[75, 50, 75, 0])
    t = gap_analysis(score(HAND, FW), targets).table()
    assert row(t, BANGLI, "B2")["index_points"] == 0


def test_aspect_matrix_and_weakest(hand):
    a = hand.aspects.set_index(["region", "aspect"])
    # Effective weights in D1: A1 1/3, A2 1/6, B1 1/4, B2 1/4.
    assert a.loc[(BANGLI, "Suprastruktur"), "current"] == pytest.approx(25)  # A2 only (B2 missing)
    assert a.loc[(BANGLI, "Suprastruktur"), "n_indicators"] == 1
    # Target with every indicator at target: (1/6*50 + 1/4*100) / (5/12) = 80
    assert a.loc[(BANGLI, "Suprastruktur"), "target"] == pytest.approx(80)
    assert a.loc[(BANGLI, "Suprastruktur"), "gap"] == pytest.approx(55)
    assert a.loc[(SOLOK, "Suprastruktur"), "current"] == pytest.approx(30)  # (1/6*0 + 1/4*50)/(5/12)
    weakest = hand.weakest_aspects()
    assert weakest.set_index("region")["aspect"].to_dict() == {BANGLI: "Suprastruktur", SOLOK: "Infrastruktur"}
    matrix = hand.aspect_matrix("Kab. Bangli", "current")
    assert matrix.loc["D1"].tolist() == pytest.approx([50, 75, 25])


def test_readiness_matrix_is_tidy_over_cycles():
    s = score(pd.concat([HAND, HAND.assign(cycle=2023)]), FW)
    m = readiness_matrix(s)
    assert list(m.columns) == ["cycle", "region", "dimension", "aspect", "score", "n_indicators"]
    assert len(m) == 2 * 2 * 1 * 3
    assert len(readiness_matrix(s, cycle=2024)) == 6
    cell = m[(m["cycle"] == 2024) & (m["region"] == SOLOK) & (m["aspect"] == "Suprastruktur")]
    assert cell["score"].item() == pytest.approx(30) and cell["n_indicators"].item() == 2


# --- targets -------------------------------------------------------------------------------------


def test_default_rule_is_stated_everywhere():
    a = gap_analysis(score(HAND, FW))
    t = a.table()
    assert DEFAULT_RULE == "next-level"
    assert t["target_rule"].str.startswith("default: next-level").all()
    assert a.parameters["default_rule"] == "next-level"
    # A1 = 50 (Baik) -> 62.5; missing B2 counts as the first band -> 20
    assert row(t, BANGLI, "A1")["target"] == 62.5
    assert row(t, BANGLI, "B2")["target"] == 20


def test_next_level_at_the_top_band_keeps_the_current_score():
    s = score(answers({BANGLI: [5, 5, 5, 5], SOLOK: [1, 1, 1, 1]}), FW)
    t = gap_analysis(s, "next-level").table()
    top = row(t, BANGLI, "IDX")
    assert top["target"] == 100 and top["gap"] == 0 and top["index_points"] == 0
    assert top["target_rule"] == "default: next-level (top band: current)"
    assert row(t, SOLOK, "IDX")["target"] == 20  # 0 is in Kurang: next is Cukup at 20


def test_next_level_on_the_native_scale():
    s = score(HAND, FW, normalise="none")
    t = gap_analysis(s).table()
    assert row(t, BANGLI, "A1")["target"] == 3.5  # 3 is Baik (2.6 to < 3.5)
    assert row(t, SOLOK, "A2")["target"] == 1.8


def test_cohort_rules():
    more = answers({BANGLI: [3, 2, 4, None], SOLOK: [5, 1, 2, 3], "Kota Banjar": [4, 4, 4, 4]})
    s = score(more, FW)
    best = gap_analysis(s, "cohort-best").table()
    assert row(best, BANGLI, "A1")["target"] == 100
    assert row(best, BANGLI, "A1")["target_rule"] == "default: cohort-best"
    p50 = gap_analysis(s, "cohort-p50").table()
    assert row(p50, BANGLI, "A1")["target"] == 75  # median of 50, 100, 75
    assert row(p50, BANGLI, "B2")["target"] == pytest.approx(62.5)  # median of 50, 75 (Bangli missing)
    # A region filter never changes the cohort, and targets of other regions are left aside.
    others = pd.DataFrame({"region": ["Kota Banjar", "Kab. Bangli"], "code": ["A1", "A1"], "target": [99, 88]})
    only = gap_analysis(s, ["cohort-best", others], region="Kab. Bangli")
    t = only.table()
    assert set(t["region"]) == {BANGLI} and only.regions == [BANGLI]
    assert row(t, BANGLI, "A2")["target"] == 75
    assert row(t, BANGLI, "A1")["target"] == 88
    assert set(only.contributions["region"]) == set(only.aspects["region"]) == {BANGLI}


def test_fixed_rules_levels_and_codes_mix():
    s = score(HAND, FW)
    a = gap_analysis(s, "dimension=cohort-best,indicator=60,S1=70,B2=cohort-p50,IDX=65")
    t = a.table()
    assert row(t, BANGLI, "D1")["target_rule"] == "dimension: cohort-best"
    assert row(t, BANGLI, "D1")["target"] == pytest.approx(58.3333333)  # Bangli is best
    assert row(t, BANGLI, "A1")["target"] == 60 and row(t, BANGLI, "A1")["target_rule"] == "indicator: 60"
    assert row(t, BANGLI, "B2")["target"] == 50 and row(t, BANGLI, "B2")["target_rule"] == "B2: cohort-p50"
    assert row(t, BANGLI, "S1")["target"] == 70
    assert row(t, BANGLI, "S2")["target_rule"] == "default: next-level"
    assert row(t, BANGLI, "IDX")["target"] == 65
    # Native numbers convert through the instrument scale: 4 of 1-5 -> 75; aggregates the common 1-5.
    native = gap_analysis(s, {"indicator": 4, "D1": 4}, target_scale="native").table()
    assert row(native, BANGLI, "A1")["target"] == 75 and row(native, BANGLI, "D1")["target"] == 75
    # Table rows win over rules; a named region wins over a blank one.
    table = pd.DataFrame({"region": ["", "Kab. Bangli"], "code": ["A1", "A1"], "target": [90, 80]})
    mixed = gap_analysis(s, [table, "indicator=60"]).table()
    assert row(mixed, BANGLI, "A1")["target"] == 80 and row(mixed, SOLOK, "A1")["target"] == 90
    assert row(mixed, BANGLI, "A1")["target_rule"] == "table (targets, row 3)"
    assert row(mixed, BANGLI, "A2")["target_rule"] == "indicator: 60"


def test_parse_target_rules():
    rules = parse_target_rules("dimension=cohort-best, indicator=next-level, SG=80")
    assert {k: r.text for k, r in rules.items()} == {"dimension": "cohort-best", "indicator": "next-level", "SG": "80"}
    assert parse_target_rules("cohort-p75")["default"].value == 75
    assert parse_target_rules("SG=62,5; SB=70")["SG"].value == 62.5
    with pytest.raises(SmartCityError) as err:
        parse_target_rules("SG=cohort-p200")
    assert err.value.codes == ["SC401"]
    with pytest.raises(SmartCityError):
        gap_analysis(score(HAND, FW), "nowhere=80")


def test_direction_minus_one_native_target():
    fw = framework_from_table(pd.DataFrame({
        "code": ["R", "a", "b"], "parent": ["", "R", "R"], "direction": ["", "1", "-1"],
        "min": ["", "0", "1"], "max": ["", "100", "5"],
    }))
    s = score(pd.DataFrame({"cycle": 2024, "region": ["P", "P"], "indicator": ["a", "b"], "value": [40, 4]}), fw)
    targets = pd.DataFrame({"code": ["a", "b"], "target": [80, 2], "scale": ["native", "native"]})
    t = gap_analysis(s, targets).table()
    assert row(t, "P", "a")["target"] == 80  # 0-100 indicator
    assert row(t, "P", "b")["target"] == 75  # 2 days on a lower-is-better 1-5 scale
    assert row(t, "P", "b")["current"] == 25 and row(t, "P", "b")["gap"] == 50


def test_targets_file_csv_and_xlsx(tmp_path):
    csv = tmp_path / "targets.csv"
    csv.write_text("daerah;kode;target;tahun;skala\nKab. Bangli;a1;4;2027;native\n;A2;50;;\n", encoding="utf-8")
    table = read_targets(csv)
    assert table["region"].tolist() == [BANGLI, ""]
    assert table["code"].tolist() == ["a1", "A2"]
    t = gap_analysis(score(HAND, FW), csv).table()
    assert row(t, BANGLI, "A1")["target"] == 75 and row(t, BANGLI, "A1")["target_year"] == 2027
    assert row(t, BANGLI, "A1")["target_rule"] == "table (targets.csv, row 2)"
    assert row(t, SOLOK, "A2")["target"] == 50 and row(t, SOLOK, "A2")["target_year"] == 2029
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "notes"
    ws = wb.create_sheet("Sasaran")
    ws.append(["Region", "Code", "Target"])
    ws.append(["Kota Solok", "B1", 90])
    wb.save(tmp_path / "targets.xlsx")
    t = gap_analysis(score(HAND, FW), str(tmp_path / "targets.xlsx")).table()
    assert row(t, SOLOK, "B1")["target"] == 90 and row(t, BANGLI, "B1")["target"] == 80


def test_bad_target_rows_are_located(tmp_path):
    csv = tmp_path / "targets.csv"
    csv.write_text("region,code,target,year,scale\n"
                   "Kota Solok,A1,abc,,\n"
                   "Kota Solok,ZZ,50,,\n"
                   "Kota Atlantis,A2,50,,\n"
                   "Kota Solok,A2,150,,\n"
                   "Kota Solok,B1,50,20x,\n"
                   "Kota Solok,B2,50,,metres\n", encoding="utf-8")
    with pytest.raises(SmartCityError) as err:
        read_targets(csv)
    lines = err.value.format("en").splitlines()
    assert lines[0].startswith("targets.csv, cell C2:") and "SC211" in lines[0]
    assert any(line.startswith("targets.csv, cell D6:") and "SC303" in line for line in lines)
    assert any(line.startswith("targets.csv, cell E7:") and "SC401" in line for line in lines)
    csv.write_text("region,code,target\nKota Solok,ZZ,50\nKota Atlantis,A2,50\nKota Solok,A2,150\n"
                   "Kota Solok,A1,60\nKota Solok,A1,70\n", encoding="utf-8")
    with pytest.raises(SmartCityError) as err:
        gap_analysis(score(HAND, FW), csv)
    assert err.value.codes == ["SC302", "SC403", "SC304", "SC401"]
    assert err.value.problems[0].location.cell == "B2"
    assert err.value.problems[1].location.cell == "A3"
    assert err.value.problems[2].location.cell == "C4"
    csv.write_text("region,kode\nKota Solok,A1\n", encoding="utf-8")
    with pytest.raises(SmartCityError) as err:
        read_targets(csv)
    assert err.value.codes == ["SC301"]


def test_unknown_region_and_cycle():
    s = score(HAND, FW)
    with pytest.raises(SmartCityError) as err:
        gap_analysis(s, region="Kota Atlantis")
    assert err.value.codes == ["SC403"]
    with pytest.raises(SmartCityError) as err:
        gap_analysis(s, cycle=2020)
    assert err.value.codes == ["SC402"]


# --- effort, quadrants, horizons ------------------------------------------------------------------


def test_effort_default_by_aspect_and_overrides():
    e = indicator_effort(FW)
    assert e["effort"].to_dict() == {"A1": 2, "A2": 1, "B1": 3, "B2": 1}
    assert set(e["effort_source"]) == {"aspect default"}
    e = indicator_effort(FW, {"Suprastruktur": 2, "B1": 1})
    assert e["effort"].to_dict() == {"A1": 2, "A2": 2, "B1": 1, "B2": 2}
    assert e.at["B1", "effort_source"] == "override" and e.at["A2", "effort_source"] == "aspect override"
    with_column = framework_from_table(FW_TABLE.assign(effort=["", "", "", "", "", "3", "", ""]))
    e = indicator_effort(with_column, {"Suprastruktur": 2})
    assert e.at["A2", "effort"] == 3 and e.at["A2", "effort_source"] == "instrument"
    no_aspect = framework_from_table(FW_TABLE.assign(aspect=""))
    assert set(indicator_effort(no_aspect)["effort"]) == {2}
    with pytest.raises(SmartCityError):
        indicator_effort(FW, {"Struktur": 5})
    with pytest.raises(SmartCityError):
        indicator_effort(FW, {"nothing": 1})


def test_quadrants_and_horizons(hand):
    p = hand.priorities.set_index(["region", "code"])
    # Bangli: positive points 8.33 (A1), 6.25 (B2), 4.17 (A2): median 6.25.
    assert p.loc[(BANGLI, "A1"), "impact_threshold"] == pytest.approx(6.25)
    assert p.loc[(BANGLI, "A1"), ["priority", "horizon"]].tolist() == ["major_project", "medium"]  # effort 2
    assert p.loc[(BANGLI, "B2"), ["priority", "horizon"]].tolist() == ["quick_win", "short"]
    assert p.loc[(BANGLI, "A2"), ["priority", "horizon"]].tolist() == ["fill_in", "medium"]
    assert p.loc[(BANGLI, "B1"), "priority"] == "no_gap" and pd.isna(p.loc[(BANGLI, "B1"), "horizon"])
    # Solok: 12.5 (B1, Infrastruktur, effort 3) is a long major project.
    assert p.loc[(SOLOK, "B1"), ["priority", "horizon"]].tolist() == ["major_project", "long"]
    fixed = gap_analysis(score(HAND, FW), HAND_TARGETS, impact_threshold=10, low_effort_max=2.5)
    q = fixed.priorities.set_index(["region", "code"])
    assert q.loc[(BANGLI, "A1"), ["priority", "horizon"]].tolist() == ["fill_in", "medium"]
    assert q.loc[(SOLOK, "A2"), "priority"] == "fill_in"
    assert q.loc[(SOLOK, "B1"), "priority"] == "major_project"
    low = gap_analysis(score(HAND, FW), HAND_TARGETS, impact_threshold=10)
    assert low.priorities.set_index(["region", "code"]).loc[(BANGLI, "A1"), ["priority", "horizon"]].tolist() == [
        "low_priority", "long"]
    assert proposed_horizon("major_project", 2) == "medium" and proposed_horizon("low_priority", 1) == "long"
    assert pd.isna(proposed_horizon(None, 1))
    assert LABELS["id"]["major_project"] == "proyek besar" and LABELS["id"]["long"] == "jangka panjang"
    assert set(LABELS["id"]) == set(LABELS["en"])


# --- progress -------------------------------------------------------------------------------------


def test_progress_and_on_track():
    two = pd.concat([
        answers({BANGLI: [2, 2, 4, 3], SOLOK: [5, 1, 2, 3]}, 2023),
        answers({BANGLI: [3, 2, 4, 3], SOLOK: [5, 1, 2, 3]}, 2024),
    ])
    targets = pd.DataFrame({"region": BANGLI, "code": ["A1", "A2", "B1"], "target": [75, 50, 75],
                            "year": [2026, 2025, None]})
    a = gap_analysis(score(two, FW), targets, region=BANGLI)
    p = a.progress.set_index("code")
    # A1: 25 -> 50 against 75: gap 50 -> 25 closed 25; expected 25 + 50 * (1/3) = 41.67 <= 50.
    assert p.at["A1", "previous_gap"] == 50 and p.at["A1", "gap_closed"] == 25
    assert p.at["A1", "expected"] == pytest.approx(25 + 50 / 3)
    assert p.at["A1", "on_track"]
    # A2: 25 -> 25 against 50 by 2025: expected 37.5, behind.
    assert p.at["A2", "expected"] == 37.5 and not p.at["A2", "on_track"] and p.at["A2", "gap_closed"] == 0
    # B1 already at its target, and no year: due 2029, on track.
    assert p.at["B1", "target_year"] == 2029 and p.at["B1", "on_track"]
    assert (p["baseline_cycle"] == 2023).all() and (p["previous_cycle"] == 2023).all()
    table = a.table()
    assert row(table, BANGLI, "A1")["gap_closed"] == 25 and row(table, BANGLI, "A2")["on_track"] == False  # noqa: E712
    text = gap_summary(a, lang="en")
    assert "Since 2023" in text and "of 4 indicators on track" in text
    assert "Sejak 2023" in gap_summary(a)
    one = gap_analysis(score(HAND, FW))
    assert one.progress.empty and one.table()["on_track"].isna().all()


def test_baseline_is_the_earliest_cycle():
    three = pd.concat([
        answers({BANGLI: [1, 1, 1, 1]}, 2022), answers({BANGLI: [2, 1, 1, 1]}, 2023),
        answers({BANGLI: [3, 1, 1, 1]}, 2024),
    ])
    targets = pd.DataFrame({"code": ["A1"], "target": [100], "year": [2026]})
    p = gap_analysis(score(three, FW), targets).progress.set_index("code")
    # Straight path 0 (2022) -> 100 (2026): 50 expected in 2024; 50 now: on track; closed 25 since 2023.
    assert p.at["A1", "baseline_cycle"] == 2022 and p.at["A1", "previous_cycle"] == 2023
    assert p.at["A1", "expected"] == 50 and p.at["A1", "on_track"] and p.at["A1", "gap_closed"] == 25


# --- output and CLI -------------------------------------------------------------------------------


def test_sheet_frame_and_files(hand, tmp_path):
    frame = gap_sheet_frame(hand, "id")
    for header in ("Daerah", "Kode", "Kesenjangan", "Prioritas", "Jangka waktu", "Dasar target"):
        assert header in frame.columns
    assert "proyek besar" in set(frame["Prioritas"]) and "Indikator" in set(frame["Tingkat"])
    assert "Gap" in gap_sheet_frame(hand, "en").columns
    written = write_gaps(hand, tmp_path, lang="en")
    assert [p.name for p in written] == ["gaps.csv", "gaps.xlsx"]
    from openpyxl import load_workbook

    assert load_workbook(written[1]).sheetnames[0] == "Gap analysis"


def test_cli_writes_gaps_with_indonesian_headers(tmp_path, capsys):
    fw_path = tmp_path / "instrument.csv"
    FW_TABLE.to_csv(fw_path, index=False)
    data = tmp_path / "answers.csv"
    pd.concat([HAND.assign(cycle=2023), HAND]).to_csv(data, index=False)
    out = tmp_path / "out"
    code = main(["gaps", str(data), "--framework", str(fw_path), "--targets", "indicator=cohort-best",
                 "--region", "Kab. Bangli", "-o", str(out)])
    assert code == 0
    assert (out / "gaps.csv").exists() and (out / "gaps.xlsx").exists()
    printed = capsys.readouterr().out
    assert "Aspek terlemah per dimensi" in printed and "Sejak 2023" in printed
    table = pd.read_csv(out / "gaps.csv")
    assert set(table["region"]) == {BANGLI}
    assert {"cycle", "region", "code", "level", "current", "target", "gap", "index_points",
            "priority", "horizon"} <= set(table.columns)
    from openpyxl import load_workbook

    ws = load_workbook(out / "gaps.xlsx")["Analisis Kesenjangan"]
    headers = [c.value for c in ws[1]]
    assert {"Daerah", "Kode", "Skor saat ini", "Kesenjangan", "Prioritas"} <= set(headers)
    assert ws.freeze_panes == "A2"
    bad = main(["gaps", str(data), "--framework", str(fw_path), "--targets", "SG=oops", "-o", str(out)])
    assert bad == 1


# --- properties -----------------------------------------------------------------------------------

levels = st.one_of(st.none(), st.integers(1, 5))
region_values = st.lists(levels, min_size=4, max_size=4)
target_values = st.lists(st.floats(0, 100, allow_nan=False), min_size=8, max_size=8)


def table_targets(regions: list[str], values: list[list[float]]) -> pd.DataFrame:
    codes = list(FW.table.index)
    return pd.DataFrame([(r, c, v) for r, vs in zip(regions, values, strict=True)
                         for c, v in zip(codes, vs, strict=True)], columns=["region", "code", "target"])


@settings(max_examples=40, deadline=None)
@given(st.lists(region_values, min_size=2, max_size=3), st.data())
def test_index_points_are_never_negative(values, data):
    regions = [f"Kota R{i}" for i in range(len(values))]
    df = answers(dict(zip(regions, values, strict=True)))
    if df.empty:
        return
    scores = score(df, FW, min_coverage=data.draw(st.sampled_from([0.0, 0.5])))
    targets = table_targets(list(scores.values.index.get_level_values("region")),
                            [data.draw(target_values) for _ in range(len(scores.values))])
    a = gap_analysis(scores, targets)
    points = a.gaps["index_points"].dropna()
    assert (points >= 0).all()
    assert (a.gaps["gap"].dropna() >= 0).all()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=4, max_size=4), st.lists(st.floats(0, 1), min_size=8, max_size=8))
def test_a_region_at_or_above_every_target_has_no_gap(values, below):
    scores = score(answers({BANGLI: values, SOLOK: [1, 2, 3, None]}), FW)
    current = scores.values.xs(2024, level="cycle").loc[BANGLI, list(FW.table.index)].to_numpy()
    targets = table_targets([BANGLI], [list(current - np.asarray(below) * current)])
    t = gap_analysis(scores, targets, region=BANGLI).table()
    assert (t["gap"] == 0).all()
    assert (t["index_points"] == 0).all()
    assert (t.loc[t["level"] == "indicator", "priority"] == "no_gap").all()


@settings(max_examples=40, deadline=None)
@given(st.lists(region_values, min_size=2, max_size=2), target_values,
       st.lists(st.floats(0, 50), min_size=8, max_size=8))
def test_raising_a_target_never_shrinks_a_gap(values, base, raise_by):
    df = answers(dict(zip([BANGLI, SOLOK], values, strict=True)))
    if df.empty:
        return
    scores = score(df, FW, min_coverage=0.0)
    regions = list(scores.values.index.get_level_values("region"))
    low = gap_analysis(scores, table_targets(regions, [base] * len(regions))).gaps
    higher = [min(b + r, 100.0) for b, r in zip(base, raise_by, strict=True)]
    high = gap_analysis(scores, table_targets(regions, [higher] * len(regions))).gaps
    assert (high["gap"].isna() == low["gap"].isna()).all()
    assert (high["gap"].fillna(0) >= low["gap"].fillna(0) - 1e-9).all()
    assert (high["index_points"].fillna(0) >= low["index_points"].fillna(0) - 1e-9).all()
