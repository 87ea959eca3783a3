"""The ``smartcity`` command line: one module per command, shared arguments in :mod:`._args`."""

from .main import build_parser, main

__all__ = ["build_parser", "main"]
