"""Options are checked before any work, and a table without a cycle is one assessment."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from smartcity_analysis import open_assessment
from smartcity_analysis.cli import main
from smartcity_analysis.errors import OptionError
from smartcity_analysis.input.framework import default_framework
from smartcity_analysis.model.selection import UNKNOWN_CYCLE, cycle_label
from smartcity_analysis.pipeline.runner import RunConfig, run

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
CONSOLIDATED = RAW / "consolidated" / "smartcity_readiness_sample.csv"


@pytest.fixture(scope="module")
def no_cycle_table(tmp_path_factory) -> Path:
    """The commonest shape a ministry sends: region, indicator, value; no cycle, no year."""
    folder = tmp_path_factory.mktemp("ministry")
    fw = default_framework()
    rows = []
    for k, region in enumerate(["Kabupaten Bangli", "Kota Solok", "Kabupaten Gianyar"]):
        for i, code in enumerate(fw.indicators):
            lo, hi = fw.scale(code)
            rows.append({"daerah": region, "kode": code, "nilai": lo + (i + k) % int(hi - lo + 1)})
    path = folder / "jawaban.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_no_cycle_is_one_assessment_of_unknown_year(no_cycle_table, tmp_path, capsys):
    a = open_assessment(no_cycle_table)
    assert a.cycle == UNKNOWN_CYCLE and a.cycles == [UNKNOWN_CYCLE]
    assert len(a.comparison) and len(a.gaps.gaps)
    assert a.weight_uncertainty(20).table["nominal_rank"].notna().all()
    for command in (["score"], ["sensitivity", "--samples", "20"], ["gaps", "--region", "Kota Solok"]):
        out = tmp_path / command[0]
        assert main([command[0], str(no_cycle_table), *command[1:], "-o", str(out)]) == 0
    assert "siklus tidak diketahui" in capsys.readouterr().out
    scores = pd.read_csv(tmp_path / "score" / "scores.csv")
    assert scores["cycle"].isna().all()  # unknown, not a made-up year
    assert cycle_label(UNKNOWN_CYCLE, "en") == "cycle unknown"


def test_no_cycle_run_names_its_folder_and_says_so(no_cycle_table, tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / no_cycle_table.name).write_bytes(no_cycle_table.read_bytes())
    final = run(RunConfig(raw=raw, out=tmp_path / "out", decks=False, notebooks=False, charts=False,
                          uncertainty_samples=20), progress=lambda m: None)
    assert final.name == "siklus-tidak-diketahui"
    manifest = (final / "manifest.json").read_text(encoding="utf-8")
    assert "tahun tidak diketahui" in manifest


@pytest.mark.parametrize("argv, code", [
    (["sensitivity", str(CONSOLIDATED), "--samples", "100000000"], "SC406"),
    (["sensitivity", str(CONSOLIDATED), "--samples", "0"], "SC408"),
    (["gaps", str(CONSOLIDATED), "--targets", "SG=200"], "SC407"),
    (["validate", str(CONSOLIDATED), "--cycle", "1999"], "SC402"),
])
def test_wrong_options_are_one_clear_message(argv, code, tmp_path, capsys):
    out = [] if argv[0] == "validate" else ["-o", str(tmp_path / "out")]
    assert main([*argv, *out]) == 1
    err = capsys.readouterr().err
    assert f"[{code}]" in err and "Traceback" not in err


def test_run_checks_its_options_before_the_work(tmp_path):
    seen = []
    with pytest.raises(OptionError) as caught:
        run(RunConfig(raw=RAW, out=tmp_path, uncertainty_samples=0), progress=seen.append)
    assert caught.value.codes == ["SC408"] and seen == []  # refused before step 1
    with pytest.raises(OptionError) as caught:
        run(RunConfig(raw=RAW, out=tmp_path, deck_regions=("Nowhere",)), progress=seen.append)
    assert caught.value.codes == ["SC403"]
    assert not any(line.startswith("[2/") for line in seen)  # stopped after loading, before scoring


def test_lang_before_or_after_the_command(capsys):
    assert main(["validate", str(CONSOLIDATED), "--lang", "en"]) == 0
    assert "regions" in capsys.readouterr().out
    assert main(["--lang", "en", "validate", str(CONSOLIDATED)]) == 0
    assert "regions" in capsys.readouterr().out


def test_sensitivity_shares_are_not_meaningful_when_no_rank_moves():
    a = open_assessment(RAW)
    table = a.answers.table
    two = table[table["region"].astype(str).isin(["Kabupaten Gianyar", "Kota Solok"])].reset_index(drop=True)
    b = open_assessment(replace(a.answers, table=two))
    methods = b.method_uncertainty(30)
    assert (methods.table["rank_q05"] == methods.table["rank_q95"]).all()
    assert np.isnan(methods.inputs["first_order"]).all()


def test_a_form_for_a_cycle_outside_the_programme_is_refused(tmp_path, capsys):
    assert main(["template", "--region", "Kota Solok", "--cycle", "1999", "-o", str(tmp_path / "f.xlsx")]) == 1
    assert "[SC409]" in capsys.readouterr().err and not (tmp_path / "f.xlsx").exists()


def test_a_comparison_of_a_few_regions_says_so():
    from smartcity_analysis.presentation.charts import cohort_for_charts

    a = open_assessment(RAW)
    table = a.answers.table
    three = table[table["region"].astype(str).isin(["Kabupaten Gianyar", "Kota Solok", "Kota Banjar"])]
    small = open_assessment(replace(a.answers, table=three.reset_index(drop=True)))
    _, _, footnote = cohort_for_charts(small.scores, small.cycle, None, "Sumber: x", "id")
    assert "kurang dari lima daerah" in footnote
    _, _, footnote = cohort_for_charts(a.scores, a.cycle, None, "Sumber: x", "id")
    assert footnote == "Sumber: x"


def test_notebook_captions_of_a_few_regions_carry_the_caveat():
    from smartcity_analysis.presentation import display

    a = open_assessment(RAW)
    table = a.answers.table
    two = open_assessment(replace(a.answers, table=table[table["region"].astype(str).isin(
        ["Kota Solok", "Kota Banjar"])].reset_index(drop=True)))
    assert "kurang dari lima daerah" in display.chart_footnote(two, two.cycle, "id")
    assert "fewer than five regions" in display.chart_footnote(two, two.cycle, "en")
    assert "lima daerah" not in display.chart_footnote(a, a.cycle, "id")


def test_a_dimension_ranking_of_a_large_cohort_shows_that_dimensions_top(monkeypatch):
    """Above the cohort limit a chart ranking a dimension draws the top regions *on that
    dimension* (and the one asked for), with their ranks on it in the whole cohort."""
    from smartcity_analysis.presentation.charts import export

    a = open_assessment(RAW)
    monkeypatch.setattr(export, "COHORT_LIMIT", 4)
    code = a.framework.dimensions[2]
    values = a.scores.values[code].xs(a.cycle, level="cycle").dropna()
    weakest = values.idxmin()
    shown, ranks, footnote = export.cohort_for_charts(a.scores, a.cycle, weakest, "Sumber: x", "id", code=code)
    expected = set(values.sort_values(ascending=False).index[:3]) | {weakest}
    assert set(shown.index(a.cycle).dropna().index) == expected
    assert ranks[weakest] == len(values) and ranks[values.idxmax()] == 1
    assert ranks.equals(values.rank(method="min", ascending=False).astype(int))
    assert footnote.startswith("Sumber: x; ")


def test_an_error_from_a_worker_process_arrives_whole():
    """Notebooks and chart sets run in worker processes: their errors cross by pickle."""
    import pickle

    from smartcity_analysis.errors import Location, RunError

    error = RunError.single("SC501", Location("02_gaps.ipynb"), step="notebook 02_gaps.ipynb", detail="boom")
    error.notes = ["a note"]
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is RunError and str(again) == str(error) and again.codes == ["SC501"]
    assert again.notes == ["a note"] and again.problems[0].location.file == "02_gaps.ipynb"


def test_deck_region_all_asks_for_every_region_above_the_limit(monkeypatch):
    from smartcity_analysis.pipeline import runner

    a = open_assessment(RAW)
    regions = sorted(a.index_scores().dropna().index)
    assert len(regions) > 2
    monkeypatch.setattr(runner, "PER_REGION_LIMIT", 2)  # the sample as a cohort of many regions

    def selected(deck_regions):
        ctx = runner.RunContext(RunConfig(raw=RAW, out=RAW, deck_regions=deck_regions), RAW)
        ctx.assessment = a
        return runner._selected_regions(ctx), ctx.notes

    chosen, notes = selected(None)
    assert chosen == [] and "--deck-region" in notes[0]  # above the limit: none unless asked
    for word in ("all", "Semua", " ALL "):
        assert selected((word,)) == (regions, [])
    assert selected((regions[1],)) == ([regions[1]], [])
    assert runner.wants_all_regions(("all",)) and not runner.wants_all_regions(None)
    ctx = runner.RunContext(RunConfig(raw=RAW, out=RAW, deck_regions=(regions[1].upper(), regions[0])), RAW)
    ctx.assessment = a
    assert runner._report_region(ctx) == regions[1]  # the report's region: the first asked, as named
