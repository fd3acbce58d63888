"""Demo data for a first look: two editors and a reviewer (so the whole four-eyes flow can
be shown: one editor's verdict is approved by the other) and the demo article."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from claims import services
from claims.models import EDITOR_GROUP, REVIEWER_GROUP, Rating

DEMO_ARTICLE = Path(__file__).resolve().parents[2] / "demo" / "seed-article.txt"


class Command(BaseCommand):
    help = "Create two demo editors and a reviewer (printing their logins) and ingest the demo article."

    # username, group, staff (admin access), what they show in the demo
    ACCOUNTS = (
        ("editor", EDITOR_GROUP, True, "assigns, writes and approves"),
        ("editor2", EDITOR_GROUP, True, "the second pair of eyes: approves the first editor's verdicts"),
        ("reviewer", REVIEWER_GROUP, False, "checks the claims assigned to them"),
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password for all three accounts (default: a new random one).")

    def handle(self, *args, password: str | None = None, **options):
        password = password or secrets.token_urlsafe(9)
        User = get_user_model()
        logins = []
        for username, group, staff, role in self.ACCOUNTS:
            user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
            user.is_staff = staff
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=group))
            logins.append((username, group, role))
        self.stdout.write(f"Rating scale: {', '.join(Rating.objects.values_list('label', flat=True))}")

        text = DEMO_ARTICLE.read_text(encoding="utf-8")
        title = text.strip().splitlines()[0]
        submission = services.article_submit(text=text, title=title, by=User.objects.get(username="editor"))
        submission.article.refresh_from_db()
        self.stdout.write(f"Demo article #{submission.article.pk}: {submission.article.get_status_display()}")
        for username, group, role in logins:
            self.stdout.write(self.style.SUCCESS(f"Login ({group.lower()}): {username} / {password}") + f"  ({role})")
