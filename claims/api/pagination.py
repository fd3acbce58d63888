"""Cursor pagination whose cursors are signed, and whose page size is checked, not clamped.

DRF's cursors are plain base64: an altered one can carry any position into the query. Ours
are signed, so a cursor we did not issue is refused with a 400 and a message in words.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.utils.urls import replace_query_param

SALT = "claims.api.cursor"


class SignedCursorPagination(CursorPagination):
    page_size_query_param = "page_size"
    page_size_query_description = "Items per page, 1 to 100."

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw == "":
            return settings.API_PAGE_SIZE
        largest = settings.API_MAX_PAGE_SIZE
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= largest:  # not "²"
            raise ValidationError({"page_size": [f"Give a whole number from 1 to {largest}, not {raw[:30]!r}."]})
        return int(raw)

    def encode_cursor(self, cursor: Cursor) -> str:
        assert self.base_url is not None  # paginate_queryset sets it before any link is made
        token = signing.dumps([cursor.offset, int(cursor.reverse), cursor.position], salt=SALT, compress=True)
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def decode_cursor(self, request) -> Cursor | None:
        token = request.query_params.get(self.cursor_query_param)
        if token is None:
            return None
        try:
            offset, reverse, position = signing.loads(token, salt=SALT)
            offset = min(int(offset), self.offset_cutoff)
        except (signing.BadSignature, ValueError, TypeError):
            raise ValidationError(
                {"cursor": ["This cursor is not one we issued (altered or cut short); start from the first page."]}
            ) from None
        return Cursor(offset=max(offset, 0), reverse=bool(reverse), position=position)


class FactCheckPagination(SignedCursorPagination):
    """Newest change first, so a partner polling with `updated_since` reads what moved."""

    ordering = ("-changed_at", "-claim_id")


class SpeakerPagination(SignedCursorPagination):
    ordering = ("name", "id")


class ClaimPagination(SignedCursorPagination):
    ordering = ("-created_at", "-id")
