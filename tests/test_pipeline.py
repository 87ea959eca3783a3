"""`smartcity run`: outputs, reruns that change nothing, and failures that lose nothing."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from smartcity_analysis.errors import RunError, SmartCityError
from smartcity_analysis.pipeline.manifest import comparable
from smartcity_analysis.pipeline.runner import RunConfig, run

#: Not in `make test-fast`: it runs the whole pipeline.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def quick_config(out: Path, **kw) -> RunConfig:
    base = dict(raw=RAW, out=out, decks=False, notebooks=False, uncertainty_samples=200, charts=False)
    base.update(kw)
    return RunConfig(**base)


def read_manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def test_run_writes_outputs_and_manifest(tmp_path):
    final = run(quick_config(tmp_path), progress=lambda m: None)
    assert final == tmp_path / "2024"
    manifest = read_manifest(final)
    assert manifest["cycle"] == 2024
    assert manifest["instrument"]["version"].startswith("sc-readiness-illustrative")
    assert len(manifest["inputs"]) == 69
    paths = {o["path"] for o in manifest["outputs"]}
    assert {"tables/scores.csv", "smartcity_2024.xlsx"} <= paths
    for entry in manifest["outputs"]:
        assert (final / entry["path"]).exists()
    assert not list(tmp_path.glob(".staging-*"))


def test_rerun_changes_nothing_but_timestamps(tmp_path):
    first = comparable(read_manifest(run(quick_config(tmp_path), progress=lambda m: None)))
    second = comparable(read_manifest(run(quick_config(tmp_path), progress=lambda m: None)))
    assert first == second


def test_failed_run_leaves_previous_results_whole(tmp_path):
    final = run(quick_config(tmp_path), progress=lambda m: None)
    before = {p: p.read_bytes() for p in final.rglob("*") if p.is_file()}
    with pytest.raises(RunError):
        run(quick_config(tmp_path, fail_after="workbook"), progress=lambda m: None)
    after = {p: p.read_bytes() for p in final.rglob("*") if p.is_file()}
    assert before == after
    assert not list(tmp_path.glob(".staging-*"))


def test_unknown_cycle_is_a_clear_error(tmp_path):
    with pytest.raises(SmartCityError) as info:
        run(quick_config(tmp_path, cycle=1999), progress=lambda m: None)
    assert info.value.codes == ["SC402"]
    assert "2023, 2024" in info.value.format("en")


@pytest.mark.parametrize("step", ["validate", "score", "workbook", "manifest"])
def test_killed_run_keeps_previous_results(tmp_path, step):
    """Kill -9 the run right after ``step``: the previous results stay whole and readable."""
    final = run(quick_config(tmp_path), progress=lambda m: None)
    before = {p.relative_to(final): p.read_bytes() for p in final.rglob("*") if p.is_file()}
    env = dict(os.environ, MPLBACKEND="Agg", SMARTCITY_HOLD_AFTER=step)
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartcity_analysis.cli.main", "run", "--raw", str(RAW), "--out", str(tmp_path),
         "--no-decks", "--no-notebooks", "--samples", "200"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 120
    for line in proc.stderr:
        if line.strip() == f"HOLD {step}" or time.monotonic() > deadline:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert list(tmp_path.glob(".staging-*")), "the killed run should have left its staging folder"
    after = {p.relative_to(final): p.read_bytes() for p in final.rglob("*") if p.is_file()}
    assert before == after
    json.loads((final / "manifest.json").read_text(encoding="utf-8"))
    # The next run cleans up after the killed one.
    run(quick_config(tmp_path), progress=lambda m: None)
    assert not list(tmp_path.glob(".staging-*"))


def test_interrupted_swap_is_recovered(tmp_path):
    final = run(quick_config(tmp_path), progress=lambda m: None)
    # A run killed between the two renames leaves only the backup.
    os.replace(final, tmp_path / ".previous-2024")
    run(quick_config(tmp_path), progress=lambda m: None)
    assert (tmp_path / "2024" / "manifest.json").exists()
    assert not (tmp_path / ".previous-2024").exists()
