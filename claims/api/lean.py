"""The partner list's fast path: the list as most partners poll it (a key, JSON, a page
size and a cursor) answered without DRF's request cycle, with the same checks, paginator,
renderer and headers; everything else goes through DRF (`views.FactCheckViewSet`)."""

from __future__ import annotations

import functools

from django.http import HttpResponse
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from ..models import FactCheck
from ..publishing.claimreview import Row, fact_check_items
from ..queries.claimreview import with_corrections
from .auth import KEYWORD, PartnerCredentials
from .pagination import SignedCursorPagination
from .responses import ConditionalGetMixin
from .rows import CompiledPages


@functools.cache
def partner_rows():
    """The partners' rows of fact-checks, built once: setting up a 27-field, five-join
    values() query costs more than running it."""
    return FactCheck.objects.for_partners()


@functools.cache
def published_pages() -> CompiledPages:
    """The published rows' list pages, compiled once per page shape: compiling one costs
    about as much as running it."""
    return CompiledPages(partner_rows().published())


class LeanListMixin(ConditionalGetMixin):
    """The list as most partners poll it (a key, JSON, at most a page size and a cursor)
    served without DRF's request cycle, which cost a page of 100 more CPU than reading its
    rows: the same authentication, permission and throttle classes, run directly, and the
    same paginator, renderer, headers and body byte for byte. Anything else (a filter,
    JSON-LD, a login, a refused or bad request) goes through DRF as before; a request this
    path throttled is refused there without being counted twice."""

    LEAN_PARAMS = frozenset({"cursor", "page_size"})
    LEAN_ACCEPTS = frozenset({None, "*/*", "application/json"})
    lean_renderer = JSONRenderer()

    def dispatch(self, request, *args, **kwargs):
        if request.method == "GET" and self.action_map.get("get") == "list" and not args and not kwargs:
            response = self.lean_list(request)
            if response is not None:
                return response
        return super().dispatch(request, *args, **kwargs)

    def check_throttles(self, request):
        refused = getattr(request._request, "_lean_refused", None)
        if refused is None:
            return super().check_throttles(request)
        self.throttled(request, refused[0])

    def lean_list(self, request) -> HttpResponse | None:
        """The list's response, or None when DRF has to answer."""
        meta = request.META
        scheme = meta.get("HTTP_AUTHORIZATION", "").partition(" ")[0]
        params = request.GET
        if (
            scheme.lower() != KEYWORD.lower()
            or meta.get("HTTP_ACCEPT") not in self.LEAN_ACCEPTS
            or not params.keys() <= self.LEAN_PARAMS
            or any(len(values) != 1 or "\x00" in values[0] for _, values in params.lists())
            or getattr(request, "_force_auth_user", None) is not None
            or getattr(request, "_force_auth_token", None) is not None
        ):
            return None
        drf_request = Request(request)
        paginator = self.paginator
        if not isinstance(paginator, SignedCursorPagination):
            return None
        try:  # checked before anything is counted: DRF answers a bad one
            paginator.get_page_size(drf_request)
            paginator.decode_cursor(drf_request)
        except ValidationError:
            return None
        for authenticator in self.get_authenticators():
            try:
                found = authenticator.authenticate(drf_request)
            except APIException:
                return None
            if found is not None:
                break
        else:
            return None
        if not isinstance(found[1], PartnerCredentials):
            return None
        # What Request._authenticate sets; the stubs leave this private attribute out.
        drf_request._authenticator = authenticator  # type: ignore[attr-defined]
        drf_request.user, drf_request.auth = found
        if not all(permission.has_permission(drf_request, self) for permission in self.get_permissions()):
            return None
        waits = [t.wait() for t in self.get_throttles() if not t.allow_request(drf_request, self)]
        if waits:
            request._lean_refused = (max((w for w in waits if w is not None), default=None),)
            return None
        self.request, self.action, self.format_kwarg = drf_request, "list", None
        # CompiledPages stands in for the queryset: the paginator only orders, filters and
        # slices it, though the stubs ask for a QuerySet.
        rows: list[Row] | None = paginator.paginate_queryset(
            published_pages(),  # type: ignore[arg-type]
            drf_request,
            view=self,
        )
        assert rows is not None  # a cursor paginator always has a page size
        page = with_corrections(rows)
        self.last_modified = max((row["changed_at"] for row in page), default=None)
        data = {
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": fact_check_items(page),
        }
        response = HttpResponse(self.lean_renderer.render(data, "application/json"), content_type="application/json")
        response["Vary"] = "Accept, Authorization, Cookie"
        response["Allow"] = ", ".join(self.allowed_methods)
        return self.conditional_response(drf_request, response)
