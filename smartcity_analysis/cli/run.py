"""``smartcity run``: the command line of :mod:`smartcity_analysis.pipeline.runner`."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from pathlib import Path

from ..paths import project_root
from ..pipeline.runner import RunConfig, run
from ..pipeline.staging import finish
from ._args import add_scoring_args, options_from_args


def run_command(args: argparse.Namespace) -> int:
    root = project_root()
    if args.finish:  # only the swap a run left pending because a file was open
        for final in finish(Path(args.out) if args.out else root / "data" / "processed"):
            print(f"{'Results' if args.lang == 'en' else 'Hasil'}: {final}")
        return 0
    config = RunConfig(
        raw=Path(args.raw) if args.raw else root / "data" / "raw",
        out=Path(args.out) if args.out else root / "data" / "processed",
        cycle=args.cycle,
        framework_path=Path(args.framework) if args.framework else None,
        changes_path=Path(args.changes) if args.changes else _default_changes(Path(args.raw or root / "data" / "raw")),
        options=options_from_args(args),
        lang=args.lang,
        targets=args.targets,
        uncertainty_samples=args.samples,
        decks=not args.no_decks,
        notebooks=not args.no_notebooks,
        deck_regions=tuple(args.deck_region) if args.deck_region else None,
        deck_template=Path(args.deck_template) if args.deck_template else None,
        documents=not args.no_documents,
        document_template=Path(args.document_template) if args.document_template else None,
    )
    try:
        final = run(config)
    except KeyboardInterrupt:
        print("dibatalkan; hasil sebelumnya utuh / interrupted; previous results intact", file=sys.stderr)
        return 130
    en = args.lang == "en"
    print(f"{'Results' if en else 'Hasil'}: {final}")
    with contextlib.suppress(FileNotFoundError):
        manifest = json.loads((final / "manifest.json").read_text(encoding="utf-8"))
        line = f"  {len(manifest['outputs'])} {'files' if en else 'berkas'}"
        if (final / "report.html").is_file():  # never claim an output the run did not write
            line += f"; {'report' if en else 'laporan'}: {final / 'report.html'}"
        print(line)
        for note in manifest.get("notes", []):
            print(f"  {note}")
    return 0


def _default_changes(raw: Path) -> Path | None:
    path = raw / "instrument_changes.csv"
    return path if path.exists() else None


def register_cli(sub) -> None:
    parser = sub.add_parser("run", help="the whole analysis of a cycle (what `make run` calls)")
    parser.add_argument("--cycle", type=int, default=None, help="cycle to analyse (default: latest)")
    parser.add_argument("--raw", default=None, help="input folder (default: data/raw)")
    parser.add_argument("--out", default=None, help="output folder (default: data/processed)")
    parser.add_argument("--framework", default=None, metavar="FILE")
    parser.add_argument("--changes", default=None, metavar="FILE",
                        help="instrument changes between cycles (default: RAW/instrument_changes.csv)")
    parser.add_argument("--targets", default=None, metavar="FILE|RULE")
    parser.add_argument("--samples", type=int, default=1000, help="Monte Carlo weight samples")
    parser.add_argument("--deck-region", action="append", metavar="NAME",
                        help="per-region charts, decks and documents only for these regions (repeatable); "
                             "'all' for every region; default: every region up to 30, none above")
    parser.add_argument("--deck-template", default=None, metavar="FILE.pptx",
                        help="an office's PowerPoint template (.pptx/.potx) for the decks")
    parser.add_argument("--document-template", default=None, metavar="FILE.docx",
                        help="an office's Word template (.docx/.dotx) for the masterplan documents")
    parser.add_argument("--no-decks", action="store_true", help="no decks and no documents")
    parser.add_argument("--no-documents", action="store_true", help="decks without the Word documents")
    parser.add_argument("--no-notebooks", action="store_true")
    parser.add_argument("--finish", action="store_true",
                        help="only install results a run kept aside as OUT/<cycle> (baru) because a file "
                             "was open; computes nothing")
    add_scoring_args(parser)
    parser.set_defaults(handler=run_command)

