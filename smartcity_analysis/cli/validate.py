"""``smartcity validate``: check answers against the instrument and summarise them."""

from __future__ import annotations

import argparse
import sys

from ..input.framework import load_framework
from ..input.loading import load_answers
from ..model.selection import resolve_cycle


def validate_command(args: argparse.Namespace) -> int:
    framework = load_framework(args.framework)
    answers = load_answers(args.paths, framework, cycle=args.cycle, region_aliases=args.aliases)
    if args.cycle is not None:  # a cycle asked for that the files do not hold is not "OK"
        resolve_cycle(answers.summary()["cycles"], args.cycle)
    for note in answers.notes:
        print(note.format(args.lang), file=sys.stderr)
    print(answers.summary_line(args.lang))
    return 0


def register_cli(sub) -> None:
    from ._args import add_common_input_args

    parser = sub.add_parser("validate", help="check answer files; list every problem")
    add_common_input_args(parser)
    parser.set_defaults(handler=validate_command)
