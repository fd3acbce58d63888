"""What the API's read endpoints share: JSON-LD as a second format, conditional GET (an
ETag from the body, Last-Modified, 304 to a current copy), filters run only when the
request names one, and unknown query parameters refused in words."""

from __future__ import annotations

import datetime
import hashlib
import time
from typing import TYPE_CHECKING

from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer

if TYPE_CHECKING:
    # The mixins below extend DRF's view sets; typed as one, they see what they call.
    _ViewSet = viewsets.GenericViewSet
else:
    _ViewSet = object


class JSONLDRenderer(JSONRenderer):
    media_type = "application/ld+json"
    format = "jsonld"


def wants_jsonld(request) -> bool:
    return getattr(request, "accepted_renderer", None) is not None and request.accepted_renderer.format == "jsonld"


class ConditionalGetMixin(_ViewSet):
    """ETag from the rendered body, Last-Modified from `self.last_modified`, and 304 when
    the client's copy is current. Responses vary by who asks and in which format."""

    last_modified: datetime.datetime | None = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        return self.conditional_response(request, response)

    def conditional_response(self, request, response):
        """`response` (rendered) with its ETag and Last-Modified, or 304 when the client's
        copy is current."""
        etag = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
        response["ETag"] = etag
        response["Cache-Control"] = "private, no-cache"
        # HTTP dates have whole seconds. A change later in the same second as the last one
        # would not move Last-Modified, and If-Modified-Since would hide it: while that
        # second is still open, the ETag alone stands.
        timestamp = None
        if self.last_modified is not None and time.time() - self.last_modified.timestamp() >= 1:
            timestamp = int(self.last_modified.timestamp())
            response["Last-Modified"] = http_date(timestamp)
        return get_conditional_response(request, etag=etag, last_modified=timestamp, response=response)


class FilterWhenAsked(DjangoFilterBackend):
    """django-filter, skipped when the request names no filter (most sync polls): building
    and validating the filter form costs more than the rest of a small page."""

    def filter_queryset(self, request, queryset, view):
        names = getattr(view, "filterset_class", None) and view.filterset_class.base_filters
        if names and not any(name in request.query_params for name in names):
            return queryset
        return super().filter_queryset(request, queryset, view)


class StrictQueryMixin(_ViewSet):
    """Refuse query parameters the endpoint does not know (a misspelt filter would otherwise
    silently return everything) and NUL characters (no database takes them)."""

    extra_query_params: tuple[str, ...] = ("cursor", "page_size")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        params = request.query_params
        if any("\x00" in key or any("\x00" in v for v in params.getlist(key)) for key in params):
            raise ValidationError({"detail": "Query parameters cannot contain NUL characters."})
        known = set(self.extra_query_params)
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None:
            known |= set(filterset_class.base_filters)
        unknown = sorted(set(params) - known)
        if unknown and getattr(self, "action", None) == "list":
            names, known_names = ", ".join(unknown)[:200], ", ".join(sorted(known))
            raise ValidationError({"detail": f"Unknown query parameter(s): {names}. Known: {known_names}."})
