"""The ``smartcity`` command line.

Each subcommand lives beside the code it drives: a module exposes ``register_cli(subparsers)``
which adds its parser and sets ``handler``. This module only wires them, prints problems one per
line, and maps outcomes to exit codes: 0 success, 1 a problem with the input (never a
traceback), 2 a wrong command line (argparse's own convention).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import SmartCityError, default_language

#: Modules that contribute subcommands, in the order ``--help`` lists them.
COMMAND_MODULES = (
    "template",
    "validate",
    "score",
    "sensitivity",
    "audit",
    "gaps",
    "charts",
    "deck",
    "documents",
    "run",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smartcity",
        description="Smart city readiness analysis (Gerakan Menuju 100 Smart City).",
    )
    parser.add_argument(
        "--lang", choices=("id", "en"), default=None,
        help="language of messages and labels (default: id, or SMARTCITY_LANG)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"{__package__}.{name}")
        module.register_cli(sub)
    # --lang also after the command (smartcity run --lang en); given there, it wins
    for command in sub.choices.values():
        command.add_argument("--lang", choices=("id", "en"), default=argparse.SUPPRESS,
                             help="language of messages and labels (default: id)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    lang = args.lang or default_language()  # passed down explicitly: no global state
    args.lang = lang
    try:
        return int(args.handler(args) or 0)
    except SmartCityError as exc:
        for note in exc.notes:  # what was skipped, shown with the problems
            print(note.format(lang), file=sys.stderr)
        for problem in exc.problems:
            print(problem.format(lang), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("dibatalkan / interrupted", file=sys.stderr)
        return 130



if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
