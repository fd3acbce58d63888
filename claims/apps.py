from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Fact-checking"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import fts, lockout, tasks  # noqa: F401  (connect their receivers, register the jobs)
        from .api import auth  # noqa: F401  (the key cache's receivers)

        # A migration that rebuilds a table on SQLite drops its full-text triggers.
        post_migrate.connect(fts.sqlite_fts_repair, sender=self, dispatch_uid="claims.fts")
