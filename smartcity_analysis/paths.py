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
    """The notebook suite: ``notebooks/`` of the project when run inside it, else the copy
    installed with the package (``smartcity_analysis.notebooks``), so a wheel runs the cycle too."""
    local = (root or project_root()) / "notebooks"
    if local.is_dir() and any(local.glob("[0-9][0-9]_*.ipynb")):
        return local
    package = Path(__file__).resolve().parent
    for folder in (package / "notebooks", package.parent / "notebooks"):  # a wheel; a source tree
        if any(folder.glob("[0-9][0-9]_*.ipynb")):
            return folder
    return local


def answers_source(raw: Path) -> Path:
    """The answers under a raw folder: its ``templates/`` subfolder when present, else itself.

    The sample data keeps the same answers twice (filled templates and one consolidated table);
    analysing both would count every answer twice.
    """
    templates = raw / "templates"
    return templates if templates.is_dir() else raw


def looks_synthetic(*paths: str | Path) -> bool:
    """Inputs from a folder whose README says the data are synthetic (*data sintetis*).

    The sample data say so in ``data/raw/README.md``; outputs made from them carry the label.
    Looks in each path's folder and up to three folders above it.
    """
    for raw in paths:
        path = Path(raw)
        start = path if path.is_dir() else path.parent
        for folder in [start, *start.resolve().parents[:3]]:
            readme = folder / "README.md"
            if readme.is_file() and "sintetis" in readme.read_text(encoding="utf-8", errors="ignore").lower():
                return True
    return False
