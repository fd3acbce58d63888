"""Export published fact-checks as CSV or JSON Lines (ClaimReview), to stdout or a file."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.publishing import exports


class Command(BaseCommand):
    help = (
        "Export published fact-checks as CSV or JSON Lines (one schema.org ClaimReview per line). "
        "--since keeps those published or changed on or after that date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", metavar="YYYY-MM-DD", help="Published or changed on or after this date.")
        parser.add_argument("--format", default="csv", metavar="csv|jsonl", help="csv (default) or jsonl.")
        parser.add_argument("--output", metavar="FILE", help="Write to FILE instead of standard output.")

    def handle(self, *args, since: str | None, format: str, output: str | None, **options):
        if not exports.is_format(format):
            raise CommandError(f'Unknown format "{format}"; choose one of: {", ".join(exports.FORMATS)}.')
        try:
            day = exports.since_parse(since) if since else None
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        show_progress = bool(output) or self.stderr.isatty()
        total = exports.factchecks_count(since=day) if show_progress else None
        progress = tqdm(total=total, unit="fact-check", disable=not show_progress, file=self.stderr)
        lines = exports.factchecks_export(since=day, fmt=format)
        header = 1 if format == "csv" else 0
        written = 0
        write: Callable[[str], object]
        with contextlib.ExitStack() as stack:
            stack.callback(progress.close)
            if output:
                try:
                    write = stack.enter_context(open(output, "w", encoding="utf-8", newline="")).write
                except OSError as exc:
                    raise CommandError(f"Cannot write {output}: {exc.strerror}.") from None
            else:
                write = functools.partial(self.stdout.write, ending="")
            for n, line in enumerate(lines):
                write(line)
                if n >= header:
                    written += 1
                    progress.update()
        if output:
            self.stderr.write(f"{written} fact-checks written to {output}.")
