"""The run's recipe and fingerprints: what went in, how it was made, what came out.

``manifest.json`` records input file hashes, the instrument version, methods and parameters,
the package version and every output file with its hash, so a cycle can be rerun, varied or
audited. Output hashes are *content* hashes: for zip-based documents (xlsx, pptx) and executed
notebooks the parts that only carry a timestamp are left out, so two runs on the same inputs
have identical manifests apart from the ``created`` field.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

from ..files import file_sha256  # noqa: F401  (also imported from here)

_TIMESTAMP_MEMBERS = {"docProps/core.xml", "docProps/app.xml"}




def content_hash(path: Path) -> str:
    """sha256 of what a reader sees, timestamps left out (see module docstring)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".pptx", ".docx") and zipfile.is_zipfile(path):
        digest = hashlib.sha256()
        with zipfile.ZipFile(path) as archive:
            for name in sorted(archive.namelist()):
                if name in _TIMESTAMP_MEMBERS:
                    continue
                digest.update(name.encode())
                digest.update(archive.read(name))
        return digest.hexdigest()
    if suffix == ".ipynb":
        notebook = json.loads(path.read_text(encoding="utf-8"))
        notebook.get("metadata", {}).pop("papermill", None)
        for cell in notebook.get("cells", []):
            cell.get("metadata", {}).pop("papermill", None)
            cell.get("metadata", {}).pop("execution", None)
        return hashlib.sha256(json.dumps(notebook, sort_keys=True).encode()).hexdigest()
    if suffix == ".json" and path.name == "manifest.json":
        return ""
    return file_sha256(path)


def output_entries(folder: Path) -> list[dict]:
    """Every file under ``folder`` with its size and content hash, in a stable order."""
    entries = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "manifest.json"):
        entries.append({
            "path": path.relative_to(folder).as_posix(),
            "bytes": path.stat().st_size,
            "sha256": content_hash(path),
        })
    return entries


def comparable(manifest: dict) -> dict:
    """The manifest without the fields that legitimately change between identical runs."""
    out = json.loads(json.dumps(manifest))
    for key in ("created", "duration_seconds", "steps_seconds", "output_dir"):
        out.pop(key, None)
    for entry in out.get("outputs", []):
        entry.pop("bytes", None)  # zip containers differ in size with their timestamps
    return out
