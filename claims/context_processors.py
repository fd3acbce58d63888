"""What every workbench page shows in its navigation: the counts of the person's worklists
and their unread notices. Computed only when a page's template asks (two queries), so
fragments and redirects cost nothing."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import notifications, queries, roles


def workbench_nav(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not roles.can_use_workbench(user):
        return {}
    return {
        "nav_counts": SimpleLazyObject(lambda: queries.worklist_counts(user)),
        "nav_unread": SimpleLazyObject(lambda: notifications.unread_count(user)),
    }
