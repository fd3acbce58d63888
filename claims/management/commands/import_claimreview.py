"""Import other fact-checkers' ClaimReview from a file or a feed URL, and print the report."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from claims import external
from claims.models import ClaimReviewImport


class Command(BaseCommand):
    help = (
        "Import ClaimReview (a file: .json, .jsonld, .jsonl or a fact-check's .html page; or a feed URL) "
        "and match it to our claims."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", metavar="FILE_OR_URL")
        parser.add_argument("--queue", action="store_true", help="Queue the job instead of running it here.")

    def handle(self, *args, source: str, queue: bool, **options):
        if source.startswith(("http://", "https://")):
            run = external.claimreview_import_create(source_url=source, queue=queue)
        else:
            path = Path(source)
            if not path.is_file():
                raise CommandError(f"No such file, and not an http(s) URL: {source}")
            with path.open("rb") as file:
                data = file.read(external.MAX_BYTES + 1)
            run = external.claimreview_import_create(data=data, filename=path.name, queue=queue)
        if queue and run.status == ClaimReviewImport.Status.QUEUED:
            self.stdout.write(f"Import #{run.pk} queued.")
            return
        external.claimreview_import_run(run_id=run.pk)
        run.refresh_from_db()
        if run.status == ClaimReviewImport.Status.FAILED:
            raise CommandError(run.error)
        for item in run.report:
            self.stderr.write(f"item {item['index']} refused: {item['reason']}")
        skipped = f" ({run.skipped} other nodes of the page skipped)" if run.skipped else ""
        self.stdout.write(
            f"{run.total} items: {run.created} created, {run.updated} updated, {run.refused} refused.{skipped}"
        )
