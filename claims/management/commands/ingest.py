"""Submit articles from the command line: URLs, HTML files, text files, or lists of URLs."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims import services


def _sources(args: list[str], url_lists: list[str]) -> list[str]:
    sources = list(args)
    for name in url_lists:
        lines = Path(name).read_text(encoding="utf-8").splitlines()
        sources += [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    return sources


class Command(BaseCommand):
    help = "Submit articles by URL or file (.html/.htm as HTML, anything else as plain text)."

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="*", metavar="URL_OR_FILE")
        parser.add_argument(
            "--url-list",
            action="append",
            default=[],
            metavar="FILE",
            help="A file with one URL per line (may be given several times).",
        )

    def handle(self, *args, sources: list[str], url_list: list[str], **options):
        items = _sources(sources, url_list)
        if not items:
            raise CommandError("Give at least one URL or file.")
        counts = {"queued": 0, "existing": 0, "refused": 0}
        progress = tqdm(items, unit="article", disable=len(items) < 2, file=self.stderr)
        for source in progress:
            try:
                submission = self._submit(source)
            except (ValidationError, OSError) as exc:
                counts["refused"] += 1
                reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                progress.write(f"refused {source}: {reason}", file=self.stderr)
                continue
            counts["queued" if submission.created else "existing"] += 1
            if len(items) == 1 or not submission.created:
                progress.write(f"{source}: {submission.message}", file=self.stdout)
        self.stdout.write(
            f"{counts['queued']} queued, {counts['existing']} already present, {counts['refused']} refused."
        )
        if counts["refused"] == len(items):
            raise CommandError("Nothing was submitted.")

    def _submit(self, source: str) -> services.Submission:
        if source.startswith(("http://", "https://")):
            return services.article_submit(url=source)
        path = Path(source)
        if not path.is_file():
            raise ValidationError(f"No such file, and not an http(s) URL: {source}")
        data = path.read_bytes()
        services.check_size(data)
        if path.suffix.lower() in (".html", ".htm"):
            return services.article_submit(html=data)
        return services.article_submit(text=services.decode_bytes(data), title=path.stem.replace("-", " "))
