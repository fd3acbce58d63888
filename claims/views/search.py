"""Search across claims, quotes and speakers: PostgreSQL full-text search with ranking,
a plain substring match on SQLite."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.response import TemplateResponse

from ..queries import search as finders
from .base import WorkbenchRequest, workbench

KINDS: dict[str, Callable[[str], Any]] = {
    "claims": finders.search_claims,
    "quotes": finders.search_quotes,
    "speakers": finders.search_speakers,
}
PER_KIND = 10
PER_PAGE = 50


@workbench
def search(request: WorkbenchRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    only = request.GET.get("kind") if request.GET.get("kind") in KINDS else None
    sections = []
    if q:
        for kind, finder in KINDS.items():
            if only and kind != only:
                continue
            page = Paginator(finder(q), PER_PAGE if only else PER_KIND).get_page(request.GET.get("page"))
            sections.append((kind, page))
    return TemplateResponse(request, "claims/search.html", {"q": q, "only": only, "sections": sections})
