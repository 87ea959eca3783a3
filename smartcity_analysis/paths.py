"""Where things live: the project's folders in one place (cookiecutter-data-science style)."""

from __future__ import annotations

import os
from pathlib import Path


def project_root(start: Path | None = None) -> Path:
    """The folder holding ``pyproject.toml`` above ``start`` (or the working directory).

    ``SMARTCITY_ROOT`` overrides it, which notebooks executed elsewhere rely on.
    """
    if os.environ.get("SMARTCITY_ROOT"):
        return Path(os.environ["SMARTCITY_ROOT"]).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").exists() and (folder / "smartcity_analysis").is_dir():
            return folder
    return here


def raw_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "data" / "raw"


def processed_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "data" / "processed"


def notebooks_dir(root: Path | None = None) -> Path:
    return (root or project_root()) / "notebooks"


def answers_source(raw: Path) -> Path:
    """The answers under a raw folder: its ``templates/`` subfolder when present, else itself.

    The sample data keeps the same answers twice (filled templates and one consolidated table);
    analysing both would count every answer twice.
    """
    templates = raw / "templates"
    return templates if templates.is_dir() else raw
