"""Shared fixtures: the built-in instrument, the sample data folder, figures closed after each test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from smartcity_analysis.input.framework import default_framework

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def framework():
    """The built-in illustrative instrument."""
    return default_framework()


@pytest.fixture(scope="session")
def unbalanced_framework():
    """An indicator straight under the index beside dimensions with sub-dimensions (the Monte
    Carlo kernels' hard case: nodes at several depths under one parent)."""
    import pandas as pd

    from smartcity_analysis.input.framework import framework_from_table

    return framework_from_table(pd.DataFrame({
        "code": ["IDX", "D1", "D2", "S11", "S12", "a", "b", "c", "d", "e", "f", "g"],
        "parent": ["", "IDX", "IDX", "D1", "D1", "S11", "S11", "S12", "D2", "D2", "D2", "IDX"],
        "weight": [1, 1, 2, 1, 3, 1, 2, 1, 1, 1, 2, 1],
        "min": [""] * 5 + [0] * 7,
        "max": [""] * 5 + [100] * 7,
    }))


@pytest.fixture
def sample_raw() -> Path:
    """``data/raw``: the synthetic sample data made by ``scripts/make_sample_data.py``."""
    return ROOT / "data" / "raw"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")


#: Tests of two seconds or more each on a 2-core machine (``pytest --durations``), kept out of
#: ``make test-fast`` (``-m "not slow"``) so that the edit-test loop stays under a minute:
#: the big fuzzing and property runs, end-to-end commands in fresh processes. ``make test``
#: runs them all.
SLOW_TESTS = {
    "tests/test_fuzz.py::test_damaged_files_fail_cleanly",
    "tests/test_fuzz.py::test_any_workbook_loads_or_fails_cleanly",
    "tests/test_fuzz.py::test_spoiled_forms_load_or_fail_cleanly",
    "tests/test_gaps.py::test_raising_a_target_never_shrinks_a_gap",
    "tests/test_gaps.py::test_index_points_are_never_negative",
    "tests/test_gaps.py::test_a_region_at_or_above_every_target_has_no_gap",
    "tests/test_template.py::test_every_value_typed_in_a_form_is_loaded_or_named_in_a_problem",
    "tests/test_windows.py::test_unique_filenames_property",
    "tests/test_windows.py::test_python_dash_m_works_like_smartcity",
    "tests/test_windows.py::test_file_names_are_stable_across_processes",
    "tests/test_options.py::test_run_checks_its_options_before_the_work",
    "tests/test_deck.py::test_deck_command_on_an_office_template",
    "tests/test_deck.py::test_deck_command",
    "tests/test_regions.py::test_register_loads_fast_in_a_fresh_process",
    "tests/test_charts.py::test_cli_charts_command",
    "tests/test_loading.py::test_any_cell_content_loads_or_is_reported_cleanly",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.split("[")[0] in SLOW_TESTS:
            item.add_marker(pytest.mark.slow)
