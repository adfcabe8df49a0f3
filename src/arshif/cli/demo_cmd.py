"""`arshif demo`: a first look without network — archive the bundled fake sites."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from arshif.cli.common import EXIT_USAGE, CliError, add_command, emit


def register(sub) -> None:
    p = add_command(
        sub,
        "demo",
        "Serve the bundled fixture news sites on 127.0.0.1 and run the real archive job "
        "against them into a temporary directory; print where the records are and one record.",
        "arshif demo --data-dir /tmp/arshif-demo",
    )
    p.add_argument("--data-dir", help="where to put the demo store (default: a new temp dir)")
    p.set_defaults(func=run)


def run(args) -> int:
    from arshif.demo import run_demo

    try:
        report, data_dir = run_demo(
            data_dir=Path(args.data_dir) if args.data_dir else None, progress=sys.stderr.isatty()
        )
    except FileNotFoundError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    print(report.table(), file=sys.stderr)
    files = sorted((data_dir / "records").rglob("*.jsonl"))
    sample = None
    for f in files:
        with f.open(encoding="utf-8") as fh:
            line = fh.readline()
        if line.strip():
            sample = json.loads(line)
            break
    print(f"arshif: records are in {data_dir / 'records'} ({len(files)} files); one of them:",
          file=sys.stderr)
    emit({"data_dir": str(data_dir), "record_files": [str(f) for f in files],
          "sample": sample}, pretty=True)
    return report.exit_status
