"""The project's own files install what it needs, and agree with each other."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_matches_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    runtime = {_name(r) for r in pyproject["project"]["dependencies"]}
    conda, in_dependencies = set(), False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        if not line.startswith(" "):
            in_dependencies = line.startswith("dependencies:")
            continue
        m = re.match(r"^  -\s+([A-Za-z][\w.-]*)", line)  # top-level list items only
        if in_dependencies and m and m.group(1) not in ("python", "pip"):
            conda.add(_name(m.group(1)))
    assert runtime == conda
    for core in ("pandas", "numpy", "matplotlib", "seaborn", "jupyterlab", "openpyxl"):
        assert core in runtime


def test_versions_agree():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    pins = {_name(r): r for r in pyproject["project"]["dependencies"]}
    text = (ROOT / "environment.yml").read_text()
    for name, requirement in pins.items():
        spec = requirement[len(name):].strip()
        assert f"{name}{spec}" in text.replace("_", "-"), name


def test_ci_runs_make_test_and_readme_has_two_commands():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme


def test_raw_data_is_not_ignored_and_processed_is():
    ignore = (ROOT / ".gitignore").read_text()
    assert "data/processed/*" in ignore
    assert "data/raw" not in ignore


def test_every_package_folder_is_packaged():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(pyproject["tool"]["setuptools"]["packages"])
    folders = {str(p.parent.relative_to(ROOT)).replace("/", ".")
               for p in (ROOT / "smartcity_analysis").rglob("__init__.py")}
    assert folders <= listed, f"add to [tool.setuptools] packages: {sorted(folders - listed)}"
    assert "smartcity_analysis.notebooks" in listed


@pytest.mark.slow
def test_wheel_runs_the_cycle_outside_the_clone(tmp_path):
    """Build the wheel, install it in a fresh venv, run the sample from another folder: the report
    is written and every output the run names exists."""
    import subprocess
    import sys
    import sysconfig

    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(dist.glob("smartcity_analysis-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "-q", str(wheel)], check=True,
                   capture_output=True)
    # the dependencies come from this environment (no download); the package itself from the wheel
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    (Path(site) / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    elsewhere = tmp_path / "kantor"
    elsewhere.mkdir()
    env = {k: v for k, v in __import__("os").environ.items() if k != "SMARTCITY_ROOT"}
    env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '')}"
    # the dependencies' data files (nbconvert's templates, the kernel spec) are in this environment
    env["JUPYTER_PATH"] = str(Path(sys.prefix) / "share" / "jupyter")
    where = subprocess.run([str(python), "-c", "import smartcity_analysis; print(smartcity_analysis.__file__)"],
                           cwd=elsewhere, check=True, capture_output=True, text=True, env=env).stdout
    assert str(venv) in where
    done = subprocess.run(
        [str(venv / "bin" / "smartcity"), "run", "--raw", str(ROOT / "data" / "raw"), "--out", "hasil",
         "--no-decks", "--samples", "100"],
        cwd=elsewhere, capture_output=True, text=True, env=env, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    report = elsewhere / "hasil" / "2024" / "report.html"
    assert report.is_file()
    assert str(report.relative_to(elsewhere)) in done.stdout or "report.html" in done.stdout
