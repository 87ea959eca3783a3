"""The staging folder of a run, and the swap that installs it even with last cycle's workbook open.

A run writes every output into ``out/.staging-<pid>-<ms>/`` (:func:`new_staging`) and installs
it as ``out/<cycle>/`` with two renames (:func:`swap_in`); the previous folder waits as
``out/.previous-<cycle>/`` until the new one is in place, so an interrupted run leaves the
previous results whole (:func:`recover_interrupted_swap` puts them back at the next start).

Windows cannot rename a folder while a program holds a file in it open: Excel with last cycle's
workbook, PowerPoint, an Explorer or terminal window inside it. Then the finished results are
kept whole beside it as ``out/<cycle> (baru)/`` (:func:`~smartcity_analysis.files.pending_path`),
the previous results are left untouched, and SC504 names the file to close. Once it is closed,
:func:`finish` (``smartcity run --finish``) installs the kept folder without computing anything;
a rerun installs its own results and removes the kept folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from pathlib import Path

from ..errors import Bilingual, FileError, Location, Problem, RunError
from ..files import (
    ensure_writable_folder,
    files_open_in,
    pending_original,
    pending_path,
    pending_paths,
    replace_path,
)

__all__ = ["finish", "new_staging", "recover_interrupted_swap", "swap_in"]

STAGING_PREFIX = ".staging-"
BACKUP_PREFIX = ".previous-"
#: Folders being deleted: renamed first, so a folder is either whole or hidden, never half gone.
DISCARD_PREFIX = ".discard-"
#: Written last by a run: a kept folder without it is not a finished result.
FINISHED_MARKER = "manifest.json"


def new_staging(out: str | Path) -> Path:
    """An empty staging folder in ``out``, after checking ``out`` takes files (else SC114) and
    recovering from an interrupted swap."""
    out = ensure_writable_folder(out)
    recover_interrupted_swap(out)
    staging = out / f"{STAGING_PREFIX}{os.getpid()}-{int(time.time() * 1000)}"
    try:
        staging.mkdir()
    except OSError as exc:
        raise FileError.single("SC114", Location(str(out)), detail=exc.strerror or str(exc)) from None
    return staging


def swap_in(staging: str | Path, final: str | Path) -> Path:
    """Install ``staging`` as ``final``; return ``final``.

    When ``final`` (or a file in it) cannot be moved, ``staging`` is kept as
    ``<final> (baru)`` (or ``(baru 2)`` ... when that one is held open too), ``final`` is left
    whole, and SC504 is raised naming the open file. ``staging`` may itself be a kept folder
    (:func:`finish`). After a swap, the previous results and older kept folders are removed.
    """
    staging, final = Path(staging), Path(final)
    backup = final.with_name(BACKUP_PREFIX + final.name)
    if backup.exists() and not _discard(backup):
        raise _kept_aside(staging, final)
    if final.exists():
        try:
            replace_path(final, backup)
        except OSError:
            raise _kept_aside(staging, final) from None
    try:
        replace_path(staging, final)
    except OSError:
        with contextlib.suppress(OSError):  # else recover_interrupted_swap puts it back next time
            replace_path(backup, final)
        raise _kept_aside(staging, final) from None
    _discard(backup)
    for older in pending_paths(final):
        _discard(older)
    return final


def finish(out: str | Path) -> list[Path]:
    """Install the results kept aside by :func:`swap_in` (``smartcity run --finish``).

    Every ``out/<cycle> (baru)/`` holding a finished run is swapped in (the newest one when a
    cycle has several); returns the folders installed. SC505 when there is none; SC504 again,
    for each cycle whose folder is still held open.
    """
    out = Path(out)
    recover_interrupted_swap(out)
    kept = _kept_results(out)
    if not kept:
        raise RunError.single("SC505", Location(str(out)))
    installed: list[Path] = []
    problems: list[Problem] = []
    for final, folder in sorted(kept.items()):
        try:
            installed.append(swap_in(folder, final))
        except RunError as exc:
            problems.extend(exc.problems)
    if problems:
        raise RunError(problems)
    return installed


def recover_interrupted_swap(out: str | Path) -> None:
    """Put back previous results a run left between its two renames; clear dead runs' folders.

    Kept folders (``<cycle> (baru)``) are never touched: they are finished results.
    """
    out = Path(out)
    if not out.is_dir():
        return
    for backup in sorted(out.glob(BACKUP_PREFIX + "*")):
        final = out / backup.name.removeprefix(BACKUP_PREFIX)
        if not final.exists():
            with contextlib.suppress(OSError):  # still held: try again next time
                replace_path(backup, final)
        else:
            _discard(backup)
    for stale in out.glob(STAGING_PREFIX + "*"):
        pid = stale.name.removeprefix(STAGING_PREFIX).split("-")[0]
        if not pid.isdigit() or not _pid_alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    for leftover in out.glob(DISCARD_PREFIX + "*"):
        shutil.rmtree(leftover, ignore_errors=True)


# --- helpers -------------------------------------------------------------------------------------


def _kept_aside(staging: Path, final: Path) -> RunError:
    """Keep ``staging`` under a pending name beside ``final``; the SC504 error that says so."""
    kept = staging if pending_original(staging) == final else _move_to_pending(staging, final)
    open_files = files_open_in(final) if final.is_dir() else []
    locked = (", ".join(f"'{final.name}/{p.as_posix()}'" for p in open_files) if open_files
              else Bilingual(f"sebuah berkas di '{final.name}'", f"a file in '{final.name}'"))
    return RunError.single("SC504", Location(str(final)), locked=locked, kept=kept.name)


def _move_to_pending(staging: Path, final: Path) -> Path:
    """``staging`` renamed to the first free pending name of ``final`` (else left as it is)."""
    for number in range(1, 10):
        candidate = pending_path(final, number)
        if candidate.exists() and not _discard(candidate):  # an older kept copy, itself open
            continue
        try:
            replace_path(staging, candidate)
        except OSError:
            continue
        return candidate
    return staging  # whole under its own name; the message says where


def _kept_results(out: Path) -> dict[Path, Path]:
    """``{final: newest kept folder}`` for the finished results waiting in ``out``."""
    newest: dict[Path, tuple[float, Path]] = {}
    for folder in out.iterdir():
        final = pending_original(folder)
        marker = folder / FINISHED_MARKER
        if final is None or not marker.is_file():
            continue
        stamp = marker.stat().st_mtime
        if final not in newest or stamp > newest[final][0]:
            newest[final] = (stamp, folder)
    return {final: folder for final, (_, folder) in newest.items()}


def _discard(folder: Path) -> bool:
    """Remove ``folder`` if it can be moved out of the way whole; True when its name is free."""
    hidden = folder.with_name(f"{DISCARD_PREFIX}{folder.name}-{time.time_ns()}")
    try:
        replace_path(folder, hidden)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    shutil.rmtree(hidden, ignore_errors=True)
    return True


def _pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (its staging folder is in use)."""
    if os.name == "nt":  # pragma: no cover - os.kill(pid, 0) would send Ctrl+C on Windows
        import ctypes

        kernel32 = ctypes.windll.kernel32
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel32.GetLastError() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return bool(ok) and code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
