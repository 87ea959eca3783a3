"""The project's own files install what it needs, and agree with each other."""

import re
import tomllib
from pathlib import Path

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
