"""The audit of a scoring run (run_audit, Audit), the Sobol indices of the scoring choices
(choice_sensitivity), the data-gap scoring options, ``smartcity audit``, its charts and words.

The sample data (``data/raw``, synthetic) is complete and has no outliers, so there imputation
and outlier treatment cannot move a rank: their total Sobol index must be exactly 0. The
scoring options are checked on small synthetic cohorts built here, against hand computations.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smartcity_analysis.analysis.audit import (
    AUDIT_FILES,
    FINDINGS,
    Audit,
    indicator_statistics,
    run_audit,
    treat_outliers,
)
from smartcity_analysis.analysis.sensitivity import rank_regions
from smartcity_analysis.analysis.variance import (
    INPUTS,
    NO_MOVES_NOTE,
    TARGET,
    ChoiceSensitivity,
    choice_sensitivity,
    discretise,
)
from smartcity_analysis.assessment import open_assessment
from smartcity_analysis.cli.main import main
from smartcity_analysis.errors import OptionError
from smartcity_analysis.i18n import TERMS
from smartcity_analysis.input.framework import default_framework
from smartcity_analysis.model.aggregate import Tree, aggregate_tree
from smartcity_analysis.model.normalise import n_minmax, n_scale
from smartcity_analysis.model.scoring import ScoringOptions, score
from smartcity_analysis.presentation import audit_tables, charts

ROOT_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample():
    return open_assessment(ROOT_DIR / "data" / "raw")


@pytest.fixture(scope="module")
def audit(sample):
    return sample.audit


@pytest.fixture(scope="module")
def sobol(sample):
    return choice_sensitivity(sample.scores, n_samples=96, seed=5, n_boot=50)


def cohort(n_regions: int = 8, seed: int = 3, cycles=(2024,)) -> pd.DataFrame:
    """Tidy answers of the built-in instrument: one respondent per region, values 1-5."""
    fw = default_framework()
    rng = np.random.default_rng(seed)
    rows = []
    for cycle in cycles:
        for r in range(n_regions):
            level = rng.uniform(1.5, 4.5)
            kind = "kota" if r % 3 == 0 else "kabupaten"
            for code in fw.indicators:
                value = float(np.clip(np.round(level + rng.normal(0, 0.7)), 1, 5))
                rows.append((cycle, f"Kabupaten Uji {r:02d}", "Bappeda", kind, code, value))
    return pd.DataFrame(rows, columns=["cycle", "region", "respondent", "region_type", "indicator", "value"])


# --- run_audit --------------------------------------------------------------------------------


def test_run_audit_tables_on_the_sample(sample, audit):
    fw = sample.framework
    assert isinstance(audit, Audit) and audit.cycle == sample.cycle == 2024
    raw = sample.scores.raw.xs(2024, level="cycle")[fw.indicators]
    # statistics are those of the raw values of the cycle (respondents combined)
    pd.testing.assert_frame_equal(audit.indicators, indicator_statistics(raw))
    assert list(audit.indicators.columns) == [
        "code", "n_available", "availability", "min", "max", "mean", "median", "sd", "skew", "kurtosis",
        "share_nonzero", "share_unique", "flag_availability", "flag_nonzero", "flag_unique", "flag_outlier"]
    # every code but the root against its parent
    assert list(audit.correlations.columns) == ["code", "parent", "pearson", "spearman"]
    assert set(audit.correlations["code"]) == set(fw.table.index) - {fw.root}
    # every pair within each dimension
    sizes = fw.lineage["dimension"].loc[fw.indicators].value_counts()
    assert len(audit.pairs) == sum(k * (k - 1) // 2 for k in sizes)
    assert set(audit.pairs["group"]) == set(fw.dimensions)
    flagged = audit.flagged_pairs
    assert set(flagged["flag"]) <= {"collinear", "negative"} and len(flagged) >= 1
    assert (flagged.loc[flagged["flag"] == "collinear", "pearson"] > 0.9).all()
    # reliability: every aggregate, level named as the instrument names it
    assert len(audit.reliability) == len(fw.aggregates)
    assert set(audit.reliability["level"]) == {"sub-dimension", "dimension", "index"}
    subs = audit.reliability[audit.reliability["level"] == "sub-dimension"]
    assert subs["pc1_variance_share"].between(0, 1).all() and (subs["n_complete"] == 10).all()
    assert audit.reliability.loc[audit.reliability["level"] != "sub-dimension", "pc1_variance_share"].isna().all()
    # units: the ten regions, all complete
    assert list(audit.units.columns) == ["region", "n_missing", "n_zero", "availability", "share_nonzero",
                                         "low_data", "kept"]
    assert len(audit.units) == 10 and audit.units["kept"].all()
    assert audit.parameters["scoring"] == sample.scores.recipe()


def test_run_audit_of_another_cycle(sample):
    older = run_audit(sample.scores, cycle=2023)
    assert older.cycle == 2023
    raw = sample.scores.raw.xs(2023, level="cycle")[sample.framework.indicators]
    pd.testing.assert_frame_equal(older.indicators, indicator_statistics(raw))
    with pytest.raises(OptionError):
        run_audit(sample.scores, cycle=1999)


def test_findings_and_their_words(audit):
    found = audit.findings()
    assert list(found.columns) == ["finding", "code", "other", "value", "threshold"]
    assert set(found["finding"]) <= set(FINDINGS)
    assert (found["finding"] == "collinear").sum() == len(audit.flagged_pairs)
    low_alpha = audit.reliability[audit.reliability["alpha_children"] < 0.7]
    assert sorted(found.loc[found["finding"] == "low_alpha", "code"]) == sorted(low_alpha["code"])
    # every finding has a name and an explanation in both languages
    for finding in FINDINGS:
        for key in (f"audit:finding:{finding}", f"audit:explain:{finding}"):
            assert key in TERMS, key
    grouped = audit_tables.findings_table(audit, "id")
    assert list(grouped.columns) == ["finding", "n", "where", "explanation"]
    assert grouped["n"].sum() == len(found)
    assert grouped["explanation"].str.contains("Pertimbangkan|periksa|Periksa").all()
    english = audit_tables.findings_table(audit, "en", grouped=False)
    assert len(english) == len(found) and "Collinear pair" in set(english["finding"])
    assert "0.9" in english.loc[english["finding"] == "Collinear pair", "explanation"].iloc[0]


def test_no_findings_is_said_in_words(audit):
    quiet = Audit(audit.cycle, audit.indicators.assign(flag_unique=False, flag_outlier=False,
                                                       flag_availability=False, flag_nonzero=False),
                  audit.correlations.iloc[0:0], audit.pairs.assign(flag=None), audit.reliability.iloc[0:0],
                  audit.units.iloc[0:0], audit.parameters, audit.framework)
    table = audit_tables.findings_table(quiet, "id")
    assert table["finding"].tolist() == ["Tidak ada temuan"]


def test_audit_writes_its_tables(audit, sobol, tmp_path):
    written = audit.write(tmp_path / "a")
    assert [p.name for p in written] == [n for n in AUDIT_FILES if n != "audit_sobol.csv"]
    back = pd.read_csv(tmp_path / "a" / "audit_indicators.csv")
    assert list(back.columns) == list(audit.indicators.columns)
    assert np.allclose(back["skew"], audit.indicators["skew"], rtol=1e-9, equal_nan=True)
    with_sobol = audit.with_sobol(sobol)
    assert audit.sobol is None and with_sobol.sobol is sobol  # a new audit, the old one unchanged
    written = with_sobol.write(tmp_path / "b")
    assert [p.name for p in written] == list(AUDIT_FILES)
    table = pd.read_csv(tmp_path / "b" / "audit_sobol.csv")
    assert list(table.columns) == ["output", "input", "si", "sti", "si_low", "si_high", "sti_low", "sti_high"]
    assert len(table) == len(INPUTS) * (1 + len(sobol.ranks))
    assert (table["output"] == TARGET).sum() == len(INPUTS)
    recipe = json.loads((tmp_path / "b" / "audit_recipe.json").read_text())
    assert recipe["audit"]["cycle"] == 2024 and recipe["sobol"]["n_samples"] == 96


# --- choice_sensitivity -----------------------------------------------------------------------


def test_discretise_is_r_cut():
    # cut(c(0, .2, .5, .7, 1), 2): breaks -0.001, 0.5, 1.001, closed on the right
    assert discretise(np.array([0.0, 0.2, 0.5, 0.7, 1.0]), 2).tolist() == [0, 0, 0, 1, 1]
    # the intervals span the sample's range, not [0, 1]: cut(c(.3, .4, .5), 2) -> 1 1 2
    assert discretise(np.array([0.3, 0.4, 0.5]), 2).tolist() == [0, 0, 1]
    u = np.random.default_rng(0).random(10_000)
    counts = np.bincount(discretise(u, 3), minlength=3)
    assert counts.min() > 3_100 and discretise(u, 1).max() == 0


def test_choice_sensitivity_design_and_shapes(sample, sobol):
    assert isinstance(sobol, ChoiceSensitivity)
    n, d = 96, len(INPUTS)
    assert list(sobol.indices["input"]) == list(INPUTS)
    assert len(sobol.design) == len(sobol.target) == n * (d + 2)
    assert sobol.rank_samples.shape == (n * (d + 2), 10)
    # AB_i is A with input i's choice from B: the other choices are A's
    a = sobol.design[sobol.design["block"] == "A"].reset_index(drop=True)
    b = sobol.design[sobol.design["block"] == "B"].reset_index(drop=True)
    for name in INPUTS:
        ab = sobol.design[sobol.design["block"] == f"AB:{name}"].reset_index(drop=True)
        assert ab[name].equals(b[name])
        others = [c for c in INPUTS if c != name]
        assert ab[others].equals(a[others])
    assert set(sobol.design["normalisation"]) == {"scale", "minmax", "rank"}
    assert set(sobol.design["imputation"]) == {"none", "mean", "median", "group_mean"}
    assert sobol.meaningful and sobol.note is None
    assert sobol.parameters["n_variants"] == n * (d + 2)
    assert set(sobol.ranks["region"]) == set(sample.regions)


def test_choices_that_cannot_move_a_rank_have_zero_indices(sobol):
    # the sample is complete and has no outliers: imputation and treatment change nothing
    table = sobol.indices.set_index("input")
    for name in ("imputation", "outliers"):
        for column in ("si", "sti", "si_low", "si_high", "sti_low", "sti_high"):
            assert table.loc[name, column] == 0.0, (name, column)
    # weights, normalisation and aggregation do move ranks
    assert (table.loc[["weights", "normalisation", "aggregation"], "sti"] > 0.05).all()
    assert (table["sti_low"] <= table["sti"]).all() and (table["sti"] <= table["sti_high"]).all()


def test_a_fixed_choice_has_zero_indices(sample):
    fixed = choice_sensitivity(sample.scores, n_samples=48, seed=2, n_boot=None, aggregations=("arithmetic",))
    row = fixed.indices.set_index("input").loc["aggregation"]
    assert row["si"] == 0.0 and row["sti"] == 0.0
    assert "si_low" not in fixed.indices.columns


def test_variants_equal_rescoring_one_by_one(sample, sobol):
    """The batched variants are the index scored again with each variant's options and weights."""
    scores, fw = sample.scores, sample.framework
    tree = Tree.from_framework(fw)
    rows = np.flatnonzero(scores.values.index.get_level_values("cycle") == 2024)
    nominal = rank_regions(scores.values.iloc[rows][fw.root].to_numpy())
    for k in (0, 7, 100, 250, 400, 600):
        row = sobol.design.iloc[k]
        variant = scores.rescore(normalise=row["normalisation"], aggregate=row["aggregation"],
                                 impute=row["imputation"], treat_outliers=bool(row["outliers"]))
        x = variant.normalised.iloc[rows][fw.indicators].to_numpy()
        values, _ = aggregate_tree(x, tree, weights=sobol.weights[int(row["weights"])], method=row["aggregation"],
                                   missing=scores.options.missing, min_coverage=scores.options.min_coverage)
        ranks = rank_regions(values[:, tree.position(fw.root)])
        assert np.array_equal(ranks, sobol.rank_samples[k]), k
        assert sobol.target[k] == pytest.approx(np.mean(np.abs(ranks - nominal)), abs=1e-12)


def test_nothing_moves_is_reported_not_meaningful(sample):
    still = choice_sensitivity(sample.scores, n_samples=16, seed=0, noise=0.0, normalisations=("scale",),
                               aggregations=("arithmetic",), imputations=("none",), outliers=(False,), n_boot=10)
    assert still.note == NO_MOVES_NOTE and not still.meaningful
    assert still.indices[["si", "sti", "si_low", "si_high", "sti_low", "sti_high"]].isna().all().all()
    assert still.regions["sti"].isna().all()
    assert (still.target == 0).all() and not still.ranks["rank_moves"].any()
    assert "tidak bermakna" in still.note_text("id") and "not meaningful" in still.note_text("en")
    assert audit_tables.sobol_summary(still, "id") == still.note_text("id")


def test_choice_sensitivity_is_seeded(sample):
    one = choice_sensitivity(sample.scores, n_samples=24, seed=11, n_boot=20)
    two = choice_sensitivity(sample.scores, n_samples=24, seed=11, n_boot=20)
    pd.testing.assert_frame_equal(one.indices, two.indices)
    pd.testing.assert_frame_equal(one.regions, two.regions)


def test_choice_sensitivity_checks_its_choices(sample):
    with pytest.raises(OptionError):
        choice_sensitivity(sample.scores, n_samples=8, normalisations=("zscore",))  # with geometric
    with pytest.raises(OptionError):
        choice_sensitivity(sample.scores, n_samples=8, imputations=("magic",))
    with pytest.raises(OptionError):
        choice_sensitivity(sample.scores, n_samples=1)


def test_assessment_sobol_is_cached(sample):
    assert sample.sobol(32, n_boot=10) is sample.sobol(32, n_boot=10)


@pytest.mark.slow
def test_choice_sensitivity_speed_national_size(capsys):
    """1,000 base samples x 5 inputs (7,000 variants) on 514 regions x 56 indicators."""
    fw = default_framework()
    rng = np.random.default_rng(514)
    n_regions = 514
    level = rng.uniform(1.5, 4.5, size=n_regions)
    values = np.clip(np.round(level[:, None] + rng.normal(0, 0.8, size=(n_regions, len(fw.indicators))) * 4) / 4,
                     1, 5)
    values[rng.random(values.shape) < 0.01] = np.nan  # a few gaps: imputation has something to do
    tidy = pd.DataFrame({
        "cycle": 2024,
        "region": np.repeat([f"Kabupaten Uji {r:03d}" for r in range(n_regions)], len(fw.indicators)),
        "region_type": np.repeat(np.where(np.arange(n_regions) % 5 == 0, "kota", "kabupaten"), len(fw.indicators)),
        "indicator": np.tile(fw.indicators, n_regions),
        "value": values.ravel(),
    })
    scores = score(tidy, fw)
    start = time.perf_counter()
    result = choice_sensitivity(scores, n_samples=1000, seed=1)
    elapsed = time.perf_counter() - start
    with capsys.disabled():
        print(f"\nchoice_sensitivity: 1,000 x 5 inputs, {n_regions} regions x {len(fw.indicators)} indicators, "
              f"n_boot 1,000: {elapsed:.1f} s")
    assert result.rank_samples.shape == (7000, n_regions)
    assert result.indices.set_index("input").loc["imputation", "sti"] > 0  # the gaps matter now
    assert elapsed < 60, f"{elapsed:.1f} s"  # about 3-5 s on two cores


# --- the scoring options ----------------------------------------------------------------------


def test_default_options_are_unchanged():
    options = ScoringOptions()
    assert (options.screen, options.impute, options.impute_group, options.treat_outliers) == (
        None, "none", "region_type", False)
    answers = cohort()
    plain = score(answers)
    explicit = score(answers, screen=None, impute="none", treat_outliers=False)
    pd.testing.assert_frame_equal(plain.values, explicit.values)
    assert plain.recipe()["options"]["impute"] == "none"


@pytest.mark.parametrize("changes", [
    {"impute": "magic"}, {"screen": 1.5}, {"screen": -0.1}, {"screen": "0.5"}, {"impute_group": ""},
    {"treat_outliers": "yes"},
])
def test_bad_options_are_sc401(changes):
    with pytest.raises(OptionError) as info:
        ScoringOptions(**changes)
    assert info.value.problems[0].code == "SC401"


def test_screening_drops_a_unit_below_the_threshold():
    answers = cohort()
    fw = default_framework()
    sparse = "Kabupaten Uji 03"
    keep = fw.indicators[: len(fw.indicators) // 2]  # half answered: 0.5 < 0.65
    answers = answers[(answers["region"] != sparse) | answers["indicator"].isin(keep)]
    unscreened = score(answers)
    assert sparse in unscreened.values.index.get_level_values("region")
    screened = score(answers, screen=0.65)
    assert sparse not in screened.values.index.get_level_values("region")
    assert len(screened.values) == len(unscreened.values) - 1
    for stage in ("raw", "n_respondents", "normalised", "coverage", "regions"):
        assert len(getattr(screened, stage)) == len(screened.values), stage
    assert any("dropped 1" in line and sparse in line for line in screened.log)
    assert screened.recipe()["options"]["screen"] == 0.65
    # at a threshold of 0.5 the unit stays (availability >= threshold is kept, as COINr)
    assert sparse in score(answers, screen=0.5).values.index.get_level_values("region")


def test_mean_imputation_equals_hand_computation():
    answers = cohort(cycles=(2023, 2024))
    code = "SG-SV-02"
    gap = (answers["region"] == "Kabupaten Uji 01") & (answers["indicator"] == code) & (answers["cycle"] == 2024)
    answers = answers[~gap]
    imputed = score(answers, impute="mean")
    plain = score(answers)
    # by hand: the mean of the other regions' answers in 2024 (not 2023), on the 0-100 scale
    others = answers[(answers["indicator"] == code) & (answers["cycle"] == 2024)]["value"]
    lo, hi = default_framework().table.loc[code, ["min", "max"]]
    expected = (others.mean() - lo) / (hi - lo) * 100
    assert imputed.normalised.loc[(2024, "Kabupaten Uji 01"), code] == pytest.approx(expected, abs=1e-12)
    assert np.isnan(plain.normalised.loc[(2024, "Kabupaten Uji 01"), code])
    # the raw answers stay as answered; everything else is unchanged
    assert np.isnan(imputed.raw.loc[(2024, "Kabupaten Uji 01"), code])
    mask = np.ones(imputed.normalised.shape, dtype=bool)
    mask[imputed.normalised.index.get_loc((2024, "Kabupaten Uji 01")), imputed.normalised.columns.get_loc(code)] = False
    assert np.array_equal(imputed.normalised.to_numpy()[mask], plain.normalised.to_numpy()[mask], equal_nan=True)
    assert any("1 values filled" in line for line in imputed.log)


def test_median_and_peer_group_imputation():
    answers = cohort()
    code = "SE-IN-01"
    region = "Kabupaten Uji 03"  # r % 3 == 0: a kota
    answers = answers[~((answers["region"] == region) & (answers["indicator"] == code))]
    column = answers[answers["indicator"] == code]
    lo, hi = default_framework().table.loc[code, ["min", "max"]]
    median = score(answers, impute="median").normalised.loc[(2024, region), code]
    assert median == pytest.approx((column["value"].median() - lo) / (hi - lo) * 100)
    peers = column[column["region_type"] == "kota"]["value"]
    group = score(answers, impute="group_mean").normalised.loc[(2024, region), code]
    assert group == pytest.approx((peers.mean() - lo) / (hi - lo) * 100)
    with pytest.raises(OptionError):
        score(answers, impute="group_mean", impute_group="island")


def test_outlier_treatment_equals_treat_outliers():
    answers = cohort(n_regions=12)
    fw = default_framework()
    # far high values: one Winsorisation fixes SB-TO-01; SB-TO-02 Winsorised is constant, so
    # COINr log-transforms it instead
    for code, values in {"SB-TO-01": {"Kabupaten Uji 05": 5.0, "Kabupaten Uji 06": 1.5},
                         "SB-TO-02": {"Kabupaten Uji 05": 5.0}}.items():
        rows = answers["indicator"] == code
        answers.loc[rows, "value"] = 1.0
        for region, value in values.items():
            answers.loc[rows & (answers["region"] == region), "value"] = value
    plain = score(answers, normalise="minmax")
    treated = score(answers, normalise="minmax", treat_outliers=True)
    raw = plain.raw.xs(2024, level="cycle", drop_level=False)[fw.indicators]
    expected_values, log = treat_outliers(raw)
    transforms = log.set_index("code")["transform"]
    assert transforms[transforms != "none"].to_dict() == {"SB-TO-01": "winsorise", "SB-TO-02": "log_CT"}
    direction = fw.table.loc[fw.indicators, "direction"].to_numpy(dtype=float)
    expected = n_minmax(expected_values.to_numpy(), direction)
    assert np.allclose(treated.normalised[fw.indicators].to_numpy(), expected, atol=1e-9, equal_nan=True)
    assert any("treat outliers" in line for line in treated.log)
    # Winsorised values stay on the instrument's scale: with the fixed scale too
    scaled, untreated = score(answers, treat_outliers=True), score(answers)
    table = fw.table.loc[["SB-TO-01"]]
    expected = n_scale(expected_values[["SB-TO-01"]].to_numpy(), table["min"].to_numpy(dtype=float),
                       table["max"].to_numpy(dtype=float), table["direction"].to_numpy(dtype=float))
    assert np.allclose(scaled.normalised[["SB-TO-01"]].to_numpy(), expected)
    # a log-transformed indicator is put back on its own range: minimum and maximum kept
    code = "SB-TO-02"
    assert scaled.normalised[code].min() == pytest.approx(untreated.normalised[code].min())
    assert scaled.normalised[code].max() == pytest.approx(untreated.normalised[code].max())
    logged = np.log(raw[code] - 1 + 0.01 * 4)
    expected = (logged - logged.min()) / (logged.max() - logged.min()) * 100
    assert np.allclose(scaled.normalised[code].to_numpy(), expected.to_numpy())
    # the other indicators are untouched
    rest = [c for c in fw.indicators if c not in ("SB-TO-01", "SB-TO-02")]
    assert np.array_equal(scaled.normalised[rest].to_numpy(), untreated.normalised[rest].to_numpy(), equal_nan=True)


def test_rescore_and_save_keep_the_options(tmp_path):
    scores = score(cohort(), impute="mean", treat_outliers=True, screen=0.5)
    again = scores.rescore(normalise="minmax")
    assert (again.options.impute, again.options.treat_outliers, again.options.screen) == ("mean", True, 0.5)
    from smartcity_analysis.assessment import Assessment

    a = Assessment(scores, cycle=2024)
    folder = a.save(tmp_path / "saved")
    reopened = open_assessment(folder)
    assert reopened.options == scores.options


# --- the command line -------------------------------------------------------------------------


@pytest.mark.slow
def test_cli_audit_end_to_end(tmp_path, capsys):
    out = tmp_path / "audit"
    code = main(["audit", str(ROOT_DIR / "data" / "raw"), "--samples", "40", "--bootstrap", "20", "--charts",
                 "-o", str(out)])
    assert code == 0
    for name in AUDIT_FILES:
        assert (out / name).is_file(), name
    assert (out / "audit.xlsx").is_file()
    pngs = sorted(p.name for p in (out / "charts").glob("*.png"))
    assert len(pngs) == 2 + len(default_framework().dimensions)
    printed = capsys.readouterr().out
    assert "Pasangan kolinear" in printed and "Pilihan yang paling menentukan peringkat" in printed
    recipe = json.loads((out / "audit_recipe.json").read_text())
    assert recipe["sobol"]["n_samples"] == 40


@pytest.mark.slow
def test_cli_audit_options_and_a_saved_assessment(tmp_path, sample, capsys):
    saved = sample.save(tmp_path / "saved")
    out = tmp_path / "out"
    assert main(["--lang", "en", "audit", str(saved), "--samples", "0", "-o", str(out)]) == 0
    assert not (out / "audit_sobol.csv").exists() and (out / "audit_indicators.csv").is_file()
    out2 = tmp_path / "out2"
    assert main(["audit", str(ROOT_DIR / "data" / "raw"), "--samples", "0", "--impute", "median",
                 "--treat-outliers", "--screen", "0.65", "-o", str(out2)]) == 0
    options = json.loads((out2 / "audit_recipe.json").read_text())["audit"]["scoring"]["options"]
    assert (options["impute"], options["treat_outliers"], options["screen"]) == ("median", True, 0.65)
    with pytest.raises(SystemExit) as wrong:  # argparse's own convention: exit code 2
        main(["audit", str(ROOT_DIR / "data" / "raw"), "--impute", "magic", "-o", str(out2)])
    assert wrong.value.code == 2
    # a peer group the regions do not have: a problem with the input, exit code 1 and SC401
    assert main(["audit", str(ROOT_DIR / "data" / "raw"), "--impute", "group_mean", "--impute-group", "island",
                 "-o", str(out2)]) == 1
    assert "SC401" in capsys.readouterr().err


# --- charts -----------------------------------------------------------------------------------


def _gids(fig, prefix: str) -> list[str]:
    return [a.get_gid() for ax in fig.axes for a in ax.get_children()
            if isinstance(a.get_gid(), str) and a.get_gid().startswith(prefix)]


def _bars(ax, gid: str) -> list:
    return [p for p in ax.patches if p.get_gid() == gid]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_correlation_heatmap_cells_flags_and_labels(audit, lang):
    fw = audit.framework
    dimension = "SG"
    codes = [c for c in fw.indicators if fw.lineage["dimension"][c] == dimension]
    fig = charts.correlation_heatmap(audit, dimension, lang=lang)
    n = len(codes)
    assert len(_gids(fig, "cell:")) == n * (n - 1) // 2
    flagged = audit.flagged_pairs[audit.flagged_pairs["group"] == dimension]
    assert len(_gids(fig, "flag:")) == len(flagged) >= 1
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert all(label.startswith(code) for label, code in zip(labels, codes, strict=True))
    assert [t.get_text() for t in ax.get_xticklabels()] == codes
    title = fig.texts[0].get_text()
    assert fw.name(dimension, lang) in title
    assert ("korelasi" in title) == (lang == "id")
    # the dimension's colour runs down the left edge
    strip = [a for a in ax.get_children() if a.get_gid() == f"dimension:{dimension}"][0]
    assert mpl_hex(strip.get_facecolor()) == charts.dimension_colors(fw)[dimension].lower()
    values = sorted(float(t.get_text().replace(",", ".")) for t in ax.texts if t.get_gid() == "annotation")
    pairs = audit.pairs[audit.pairs["group"] == dimension]["pearson"].round(2).sort_values().tolist()
    assert values == pytest.approx(pairs)


def mpl_hex(color) -> str:
    from matplotlib.colors import to_hex

    return to_hex(color)


def test_reliability_bars_two_panels_one_bar_per_sub_dimension(audit):
    fig = charts.reliability_bars(audit, lang="en")
    subs = audit.reliability[audit.reliability["level"] == "sub-dimension"]
    alpha_ax = next(ax for ax in fig.axes if _bars(ax, "bars:alpha"))
    assert len(_bars(alpha_ax, "bars:alpha")) == len(subs)
    widths = sorted(round(p.get_width(), 6) for p in _bars(alpha_ax, "bars:alpha"))
    assert widths == sorted(round(v, 6) for v in subs["alpha_children"])
    pc1 = [p for ax in fig.axes for p in _bars(ax, "bars:pc1")]
    assert sorted(round(p.get_width(), 6) for p in pc1) == sorted(round(v, 6) for v in subs["pc1_variance_share"])
    colours = {mpl_hex(p.get_facecolor()) for p in _bars(alpha_ax, "bars:alpha")}
    assert colours == {c.lower() for c in charts.dimension_colors(audit.framework).values()}
    assert [t.get_text() for t in alpha_ax.get_yticklabels()][0].replace("\n", " ") == audit.framework.name(
        subs["code"].iloc[0], "en")
    assert "Cronbach" in alpha_ax.get_xlabel()
    dims = charts.reliability_bars(audit, level="dimension")
    assert len(_bars(dims.axes[0], "bars:alpha")) == len(audit.framework.dimensions)
    assert not any(_bars(ax, "bars:pc1") for ax in dims.axes)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_sobol_bars_two_bars_per_choice_with_intervals(sobol, lang):
    fig = charts.sobol_bars(sobol, lang=lang)
    ax = fig.axes[0]
    assert len(_bars(ax, "bars:si")) == len(_bars(ax, "bars:sti")) == len(INPUTS)
    assert {"intervals:si", "intervals:sti"} <= set(_gids(fig, "intervals:"))
    sti = sorted(round(p.get_width(), 9) for p in _bars(ax, "bars:sti"))
    assert sti == sorted(round(max(v, 0.0), 9) for v in sobol.indices["sti"])
    words = {t.get_text() for t in ax.get_yticklabels()}
    assert words == {audit_tables.input_word(v, lang) for v in INPUTS}
    # the largest total index on top
    top = sobol.indices.loc[sobol.indices["sti"].idxmax(), "input"]
    assert ax.get_yticklabels()[0].get_text() == audit_tables.input_word(top, lang)
    region = sobol.ranks["region"].iloc[0]
    mine = charts.sobol_bars(sobol, region=region, lang=lang)
    assert region in mine.texts[0].get_text()


def test_sobol_bars_say_when_nothing_moves(sample):
    still = choice_sensitivity(sample.scores, n_samples=8, seed=0, noise=0.0, normalisations=("scale",),
                               aggregations=("arithmetic",), imputations=("none",), outliers=(False,), n_boot=5)
    fig = charts.sobol_bars(still)
    ax = fig.axes[0]
    assert not _bars(ax, "bars:si") and not _bars(ax, "bars:sti")
    note = [t for t in ax.texts if t.get_gid() == "note"]
    assert len(note) == 1 and "tidak bermakna" in note[0].get_text()


# --- tables and words -------------------------------------------------------------------------


def test_audit_sheets_and_tables(audit, sobol, tmp_path):
    from smartcity_analysis.presentation.workbook import write_workbook

    sheets = audit_tables.audit_sheets(audit.with_sobol(sobol), "id")
    assert list(sheets) == ["audit:sheet:findings", "audit:sheet:indicators", "audit:sheet:correlations",
                            "audit:sheet:pairs", "audit:sheet:reliability", "audit:sheet:units",
                            "audit:sheet:sobol"]
    indicators = sheets["audit:sheet:indicators"].frame
    assert "Kemencengan" in indicators.columns and "Nama" in indicators.columns
    assert set(indicators["Pencilan"]) <= {"ya", "tidak"}
    assert "Sub-dimensi" in set(sheets["audit:sheet:reliability"].frame["Tingkat"])
    for key in sheets:
        assert key in TERMS and len(TERMS[key][0]) <= 31 and ":" not in TERMS[key][0]
    path = write_workbook(sheets, tmp_path / "audit.xlsx")
    from openpyxl import load_workbook

    assert load_workbook(path).sheetnames[0] == "Audit Temuan"
    style = audit_tables.table_style(audit_tables.indicator_table(audit), "id")
    assert "availability" in style["percent"] and style["headers"]["skew"] == "Kemencengan"
    sobol_words = audit_tables.sobol_table(sobol, "id")
    assert sobol_words["input"].tolist()[3] == "pengisian data kosong"
    assert "min-maks kohort" in sobol_words["choices"].tolist()[1]
    region = sobol.ranks["region"].iloc[0]
    assert region in audit_tables.region_sentence(sobol, region, "id")


def test_sections_read_with_the_audits_numbers(audit, sobol):
    text = audit_tables.section(audit.with_sobol(sobol), "intro", "id").data
    assert "Siklus 2024, 10 daerah, 56 indikator" in text
    assert "65%" in audit_tables.section(audit, "indicators", "id").data
    assert "672 kali" in audit_tables.section(audit.with_sobol(sobol), "sobol", "id").data
    assert "672 times" in audit_tables.section(audit.with_sobol(sobol), "sobol", "en").data
    with pytest.raises(ValueError):
        audit_tables.section(audit, "nonsense")


def test_every_audit_key_is_prefixed():
    from smartcity_analysis.i18n import audit as words

    assert all(key.startswith("audit:") for key in words.TERMS)
