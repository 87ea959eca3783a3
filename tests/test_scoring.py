"""Scoring: each method against a hand-computed case, the COINr reference, and invariants."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from smartcity_analysis.cli.main import main
from smartcity_analysis.errors import OptionError
from smartcity_analysis.input.framework import framework_from_table
from smartcity_analysis.model.scoring import ScoringOptions, score


def _reference_folder() -> Path:
    """``shared/reference/coinr_asem`` beside the checkout (CI lays ``shared/`` next to the clone)."""
    for folder in Path(__file__).resolve().parents[1:]:
        candidate = folder / "shared" / "reference" / "coinr_asem"
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("shared/reference/coinr_asem not found beside the checkout")


REFERENCE = _reference_folder()

# Index R <- A (weight 2) <- a1 (1-5), a2 (1-5, direction -1); R <- B (weight 1) <- b1 (0-100)
FW = framework_from_table(pd.DataFrame({
    "code": ["R", "A", "B", "a1", "a2", "b1"],
    "parent": ["", "R", "R", "A", "A", "B"],
    "weight": ["", "2", "1", "1", "3", "1"],
    "direction": ["", "", "", "1", "-1", "1"],
    "min": ["", "", "", "1", "1", "0"],
    "max": ["", "", "", "5", "5", "100"],
}))


def answers(rows):
    return pd.DataFrame(rows, columns=["cycle", "region", "respondent", "indicator", "value"])


BASE = answers([
    (2024, "P", "x", "a1", 5), (2024, "P", "x", "a2", 2), (2024, "P", "x", "b1", 40),
    (2024, "Q", "x", "a1", 1), (2024, "Q", "x", "a2", 5), (2024, "Q", "x", "b1", 90),
    (2024, "S", "x", "a1", 3), (2024, "S", "x", "a2", np.nan), (2024, "S", "x", "b1", 10),
])


def value(scores, region, code, cycle=2024):
    return scores.values.loc[(cycle, region), code]


def test_scale_hand_computed():
    s = score(BASE, FW)
    # P: a1 (5-1)/4*100 = 100; a2 direction -1: 100 - (2-1)/4*100 = 75; b1 = 40
    assert value(s, "P", "a1") == 100 and value(s, "P", "a2") == 75 and value(s, "P", "b1") == 40
    # A = (1*100 + 3*75)/4 = 81.25; index = (2*81.25 + 1*40)/3 = 67.5
    assert value(s, "P", "A") == pytest.approx(81.25)
    assert value(s, "P", "R") == pytest.approx(67.5)
    # S: a2 missing -> A has coverage 1/4 < 0.5 -> missing; then R has only B (1/3) -> missing
    assert np.isnan(value(s, "S", "A"))
    assert s.coverage.loc[(2024, "S"), "A"] == pytest.approx(0.25)
    assert np.isnan(value(s, "S", "R"))
    assert s.coverage.loc[(2024, "S"), "R"] == pytest.approx(1 / 3)
    # With a lower threshold R is B alone.
    assert value(score(BASE, FW, min_coverage=0.3), "S", "R") == pytest.approx(10.0)


def test_min_coverage_zero_renormalises_like_coinr():
    s = score(BASE, FW, min_coverage=0)
    assert value(s, "S", "A") == pytest.approx(50.0)
    assert value(s, "S", "R") == pytest.approx((2 * 50 + 10) / 3)


def test_strict_missing():
    s = score(BASE, FW, missing="strict", min_coverage=0)
    assert np.isnan(value(s, "S", "A")) and np.isnan(value(s, "S", "R"))
    assert value(s, "P", "R") == pytest.approx(67.5)


def test_minmax_hand_computed():
    s = score(BASE, FW, normalise="minmax", min_coverage=0)
    # a1 over P,Q,S = 5,1,3 -> 100, 0, 50; a2 (direction -1): -2,-5 -> P 100, Q 0; b1 40,90,10 -> 37.5,100,0
    assert value(s, "P", "a1") == 100 and value(s, "S", "a1") == 50
    assert value(s, "P", "a2") == 100 and value(s, "Q", "a2") == 0
    assert value(s, "P", "b1") == pytest.approx(37.5)
    assert value(s, "P", "R") == pytest.approx((2 * 100 + 37.5) / 3)


def test_zscore_and_rank_hand_computed():
    z = score(BASE, FW, normalise="zscore", min_coverage=0)
    b1 = np.array([40, 90, 10.0])
    expected = (b1 - b1.mean()) / b1.std(ddof=1)
    np.testing.assert_allclose(z.normalised["b1"].to_numpy(), expected)
    r = score(BASE, FW, normalise="rank", min_coverage=0)
    # b1 ranks (min): 10 ->1, 40 ->2, 90 ->3 -> (rank-1)/(n-1)*100
    np.testing.assert_allclose(r.normalised["b1"].to_numpy(), [50, 100, 0])


def test_rank_ties_share_the_lowest():
    tied = answers([(2024, u, "x", "b1", v) for u, v in zip("PQS", [10, 10, 30], strict=True)])
    r = score(tied, FW, normalise="rank", min_coverage=0)
    np.testing.assert_allclose(r.normalised["b1"].to_numpy(), [0, 0, 100])


def test_none_keeps_native_scale():
    fw = framework_from_table(pd.DataFrame({
        "code": ["R", "x", "y"], "parent": ["", "R", "R"], "min": ["", "1", "1"], "max": ["", "5", "5"],
        "direction": ["", "1", "-1"]}))
    s = score(answers([(2024, "P", "a", "x", 4), (2024, "P", "a", "y", 2)]), fw, normalise="none")
    # y mirrored within 1-5: 1 + 5 - 2 = 4 ; index (4 + 4)/2
    assert value(s, "P", "R") == pytest.approx(4.0)
    assert s.scale_range == (1.0, 5.0)


def test_geometric_hand_computed():
    s = score(BASE, FW, aggregate="geometric", min_coverage=0)
    # geometric scores use the 1-100 range: a1 P = 100, a2 P = 1 + 0.75*99 = 75.25
    a = (100 ** 1 * 75.25 ** 3) ** (1 / 4)
    b = 1 + 0.4 * 99
    assert value(s, "P", "A") == pytest.approx(a)
    assert value(s, "P", "R") == pytest.approx((a ** 2 * b) ** (1 / 3))


def test_respondents_mean_median_and_count():
    rows = answers([
        (2024, "P", "r1", "a1", 1), (2024, "P", "r2", "a1", 2), (2024, "P", "r3", "a1", 5),
        (2024, "P", "r1", "b1", 50), (2024, "P", "r2", "b1", np.nan),
    ])
    mean = score(rows, FW)
    assert mean.raw.loc[(2024, "P"), "a1"] == pytest.approx(8 / 3)
    assert mean.n_respondents.loc[(2024, "P"), "a1"] == 3
    assert mean.n_respondents.loc[(2024, "P"), "b1"] == 1
    median = score(rows, FW, respondents="median")
    assert median.raw.loc[(2024, "P"), "a1"] == 2


def test_options_are_checked():
    with pytest.raises(OptionError):
        ScoringOptions(normalise="magic")
    with pytest.raises(OptionError):
        ScoringOptions(min_coverage=2)
    with pytest.raises(OptionError):
        ScoringOptions(normalise="zscore", aggregate="geometric")


def test_table_columns_and_levels():
    t = score(BASE, FW).table(lang="en")
    for column in ("cycle", "region", "code", "level", "score", "coverage", "n_respondents", "name"):
        assert column in t.columns
    assert set(t["level"]) == {"index", "level 1", "indicator"}
    assert len(t) == 3 * 6


def _coinr_case(meta_file):
    from smartcity_analysis.input.framework import framework_from_table as build

    meta = pd.read_csv(REFERENCE / meta_file)
    meta = meta[meta["Type"].isin(["Indicator", "Aggregate"])]
    fw = build(pd.DataFrame({
        "code": meta["iCode"], "parent": meta["Parent"].fillna(""),
        "weight": meta["Weight"].astype(str), "direction": meta["Direction"].astype(str),
    }))
    data = pd.read_csv(REFERENCE / "iData.csv")
    long = data.melt(id_vars=["uCode"], value_vars=fw.indicators, var_name="indicator", value_name="value")
    long = long.rename(columns={"uCode": "region"}).assign(cycle=2018, respondent=None)
    return fw, long


@pytest.mark.parametrize(("meta_file", "expected_file"), [
    ("iMeta.csv", "expected_minmax_amean.csv"),
    ("iMeta_weighted.csv", "expected_minmax_amean_weighted.csv"),
])
def test_reproduces_coinr_asem(meta_file, expected_file):
    fw, long = _coinr_case(meta_file)
    # COINr's Aggregate() has no coverage threshold: min_coverage=0 is its convention.
    s = score(long, fw, normalise="minmax", min_coverage=0)
    expected = pd.read_csv(REFERENCE / expected_file).set_index("uCode")
    got = s.values.xs(2018, level="cycle").loc[expected.index, expected.columns]
    assert (got.isna() == expected.isna()).all().all()
    np.testing.assert_allclose(got.to_numpy(), expected.to_numpy(), atol=1e-6, rtol=0)
    aggregates = [c for c in expected.columns if c in fw.aggregates]
    assert len(aggregates) == 11


def test_score_command_writes_outputs(tmp_path):
    f = tmp_path / "a_2024.csv"
    f.write_text("region,indicator,value\nKota Solok,a1,5\nKota Solok,a2,2\nKota Solok,b1,40\nKota Banjar,a1,1\nKota Banjar,a2,5\nKota Banjar,b1,90\n")
    fw_path = tmp_path / "fw.csv"
    FW.to_frame().to_csv(fw_path, index=False)
    rc = main(["score", str(f), "--framework", str(fw_path), "--normalise", "minmax", "-o", str(tmp_path / "out")])
    assert rc == 0
    out = pd.read_csv(tmp_path / "out" / "scores.csv")
    assert {"cycle", "region", "code", "level", "score", "coverage"} <= set(out.columns)
    assert len(out) == 2 * 6
    assert (tmp_path / "out" / "scores.xlsx").exists()


def test_score_command_bad_option_exit_2(tmp_path):
    with pytest.raises(SystemExit) as info:
        main(["score", "x.csv", "--normalise", "bogus", "-o", str(tmp_path)])
    assert info.value.code == 2


# --- properties -------------------------------------------------------------------------------

answer_value = st.one_of(st.none(), st.floats(1, 5))
cohort = st.lists(st.tuples(answer_value, answer_value, st.one_of(st.none(), st.floats(0, 100))),
                  min_size=2, max_size=6)


def cohort_frame(rows):
    out = []
    for i, (a1, a2, b1) in enumerate(rows):
        for code, v in (("a1", a1), ("a2", a2), ("b1", b1)):
            out.append((2024, f"U{i}", "x", code, np.nan if v is None else v))
    return answers(out)


@settings(max_examples=60, deadline=None)
@given(rows=cohort, method=st.sampled_from(["scale", "minmax", "rank"]),
       agg=st.sampled_from(["arithmetic", "geometric"]))
def test_scores_stay_in_bounds(rows, method, agg):
    s = score(cohort_frame(rows), FW, normalise=method, aggregate=agg, min_coverage=0)
    v = s.values.to_numpy()
    v = v[~np.isnan(v)]
    assert ((v >= -1e-9) & (v <= 100 + 1e-9)).all()


@settings(max_examples=60, deadline=None)
@given(rows=cohort, unit=st.integers(0, 5), bump=st.floats(0, 4))
def test_raising_an_indicator_never_lowers_its_ancestors(rows, unit, bump):
    frame = cohort_frame(rows)
    unit = f"U{unit % len(rows)}"
    before = score(frame, FW, min_coverage=0)
    mask = (frame["region"] == unit) & (frame["indicator"] == "a1") & frame["value"].notna()
    frame.loc[mask, "value"] = np.minimum(frame.loc[mask, "value"] + bump, 5)
    after = score(frame, FW, min_coverage=0)
    for code in ("a1", "A", "R"):
        b, a = before.values.loc[(2024, unit), code], after.values.loc[(2024, unit), code]
        if not np.isnan(b):
            assert a >= b - 1e-9


@settings(max_examples=40, deadline=None)
@given(rows=cohort, factor=st.floats(0.01, 100))
def test_scaling_sibling_weights_changes_nothing(rows, factor):
    frame = cohort_frame(rows)
    base = score(frame, FW, min_coverage=0)
    scaled = score(frame, FW.with_weights({"a1": 1 * factor, "a2": 3 * factor}), min_coverage=0)
    np.testing.assert_allclose(base.values.to_numpy(), scaled.values.to_numpy(), rtol=1e-9, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(rows=cohort, seed=st.integers(0, 1000), method=st.sampled_from(["scale", "minmax", "zscore", "rank"]))
def test_input_order_changes_nothing(rows, seed, method):
    frame = cohort_frame(rows)
    shuffled = frame.sample(frac=1, random_state=seed)
    a = score(frame, FW, normalise=method).values
    b = score(shuffled, FW, normalise=method).values
    pd.testing.assert_frame_equal(a, b)


@given(direction=st.sampled_from([1, -1]))
def test_scale_maps_ends(direction):
    fw = framework_from_table(pd.DataFrame({
        "code": ["R", "x"], "parent": ["", "R"], "min": ["", "1"], "max": ["", "5"],
        "direction": ["", str(direction)]}))
    s = score(answers([(2024, "P", "a", "x", 1), (2024, "Q", "a", "x", 5)]), fw)
    low, high = s.normalised["x"].to_numpy()
    assert (low, high) == ((0.0, 100.0) if direction == 1 else (100.0, 0.0))
