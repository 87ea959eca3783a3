"""``data/raw`` is immutable: the commands that read it leave every byte (and the file list) as it was.

Each command runs for real (``smartcity ...`` in a subprocess, from the project folder, with the
paths a user types); the whole folder is hashed before and after.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """``{relative path: (sha256, mode)}`` of every file under ``folder``, hidden ones included."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            out[str(path.relative_to(folder))] = (hashlib.sha256(path.read_bytes()).hexdigest(),
                                                  path.stat().st_mode)
    return out


def smartcity() -> list[str]:
    script = Path(sys.executable).with_name("smartcity")
    return [str(script)] if script.exists() else [sys.executable, "-m", "smartcity_analysis.cli.main"]


COMMANDS = {
    "validate_templates": ["validate", "data/raw/templates"],
    "validate_consolidated": ["validate", "data/raw/consolidated"],
    "score_templates": ["score", "data/raw/templates", "-o", "{tmp}/score"],
    "template": ["template", "--region", "Kab. Gianyar", "--cycle", "2025", "--respondent", "Bappeda",
                 "-o", "{tmp}/x.xlsx"],
}


def test_sample_data_is_there():
    files = snapshot(RAW)
    assert sum(name.startswith("templates/") for name in files) >= 69
    assert any(name.startswith("consolidated/") for name in files)


@pytest.mark.slow  # a subprocess per case: not in make test-fast
@pytest.mark.parametrize("name", list(COMMANDS))
def test_command_leaves_raw_data_byte_identical(name, tmp_path):
    before = snapshot(RAW)
    argv = [part.replace("{tmp}", str(tmp_path)) for part in COMMANDS[name]]
    env = {**os.environ, "MPLBACKEND": "Agg"}
    done = subprocess.run([*smartcity(), *argv], cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert snapshot(RAW) == before
    if name == "template":
        assert (tmp_path / "x.xlsx").stat().st_size > 0
    if name == "score_templates":
        assert any((tmp_path / "score").iterdir())
