"""Request bodies: JSON only, of a bounded size and depth."""

from __future__ import annotations

from django.conf import settings
from rest_framework import exceptions, parsers, status


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class LimitedJSONParser(parsers.JSONParser):
    """JSON bodies up to API_MAX_BODY_BYTES; larger ones are refused before being read."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_MAX_BODY_BYTES
        request = (parser_context or {}).get("request")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError:
            length = 0
        if length > limit:
            raise BodyTooLarge(
                f"The request body is {length / 1_048_576:.1f} MB; the API accepts at most "
                f"{limit / 1_048_576:g} MB. Send long articles by URL."
            )
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:  # e.g. "[" × 50,000: Python's parser recurses per level
            raise exceptions.ParseError("JSON parse error - the body is nested too deeply.") from None
