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


@pytest.fixture
def sample_raw() -> Path:
    """``data/raw``: the synthetic sample data made by ``scripts/make_sample_data.py``."""
    return ROOT / "data" / "raw"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
