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


def _notebook(path: Path, *sources: str) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("assessment = None\nregion = None", metadata={"tags": ["parameters"]}),
                *(nbformat.v4.new_code_cell(source) for source in sources)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def test_a_kept_kernel_starts_each_notebook_empty(tmp_path):
    """The run's kernels run notebook after notebook: the modules stay imported, the names and
    figures of the notebook before do not."""
    import nbformat

    from smartcity_analysis.pipeline import runner

    first = _notebook(tmp_path / "01_a.ipynb", "import os, smartcity_analysis\nleft_behind = 1\nprint(os.getpid())",
                      "import matplotlib.pyplot as plt\nfig = plt.figure()")
    second = _notebook(tmp_path / "02_b.ipynb",
                       "import os, sys, matplotlib.pyplot as plt\n"
                       "assert 'left_behind' not in globals() and 'fig' not in globals()\n"
                       "assert not plt.get_fignums() and 'smartcity_analysis' in sys.modules\nprint(os.getpid())")
    try:
        runner.execute_notebook(first, tmp_path / "out_a.ipynb", {}, reuse_kernel=True)
        runner.execute_notebook(second, tmp_path / "out_b.ipynb", {}, reuse_kernel=True)
    finally:
        runner._stop_kernel()
    pids = [nbformat.read(tmp_path / name, as_version=4).cells[1 if name == "out_a.ipynb" else 1].outputs[0]["text"]
            for name in ("out_a.ipynb", "out_b.ipynb")]
    assert pids[0] == pids[1]  # one kernel
    assert runner._KERNEL is None


def test_a_failed_notebook_fails_the_run_and_leaves_no_kernel(tmp_path, monkeypatch):
    import psutil

    from smartcity_analysis.pipeline import runner

    folder = tmp_path / "notebooks"
    folder.mkdir()
    _notebook(folder / "01_fine.ipynb", "x = 1")
    _notebook(folder / "02_broken.ipynb", "raise ValueError('broken on purpose')")
    _notebook(folder / "03_slow.ipynb", "import time\ntime.sleep(120)")
    monkeypatch.setattr(runner, "notebooks_dir", lambda: folder)
    out = tmp_path / "out"
    with pytest.raises(RunError, match="broken on purpose"):
        run(quick_config(out, notebooks=True), progress=lambda m: None)
    deadline = time.monotonic() + 20
    while psutil.Process().children(recursive=True) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not psutil.Process().children(recursive=True)
    assert not (out / "2024").exists() and not list(out.glob(".staging-*"))


def test_a_region_that_fails_in_the_pool_stops_the_charts_at_once(tmp_path, monkeypatch):
    """One region's error in the chart workers stops the run without drawing the regions not
    begun (the pool used to draw all 514 before saying so)."""
    import multiprocessing
    import os

    from smartcity_analysis.pipeline import runner

    if (os.cpu_count() or 1) < 2 or multiprocessing.get_start_method() != "fork":
        pytest.skip("needs the chart pool's forked workers (two cores or more)")
    ctx = runner.RunContext(RunConfig(raw=RAW, out=tmp_path / "out", decks=False, notebooks=False),
                            tmp_path / "staging")
    for step in runner.STEPS[: runner.STEPS.index("charts")]:
        runner.STEP_FUNCTIONS[step](ctx, lambda message: None)
    regions = runner._selected_regions(ctx)
    assert len(regions) >= 6
    drawn = tmp_path / "drawn"
    drawn.mkdir()

    def fake_outputs(a, region, name, staging, job):
        if region == regions[0]:
            raise RuntimeError(f"cannot draw {region}")
        time.sleep(0.5)
        (drawn / name).touch()

    monkeypatch.setattr(runner, "region_outputs", fake_outputs)  # the forked workers inherit it
    with pytest.raises(RuntimeError, match="cannot draw"):
        runner.step_charts(ctx, lambda message: None)
    assert len(list(drawn.iterdir())) < len(regions) - 1
