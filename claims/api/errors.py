"""Errors a caller can meet, mapped to HTTP with a message in words."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..errors import WorkflowError

NO_CREDENTIALS = (
    "Authentication credentials were not provided. Partners send 'Authorization: Api-Key <key>'; "
    "staff log in or send 'Authorization: Token <token>'."
)


def exception_handler(exc, context):
    if isinstance(exc, WorkflowError):
        return Response({"detail": exc.message}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.NotAuthenticated):
        replacement = exceptions.NotAuthenticated(NO_CREDENTIALS)
        replacement.status_code = exc.status_code  # 403 when no scheme suits a 401
        # DRF's APIView.handle_exception sets auth_header on the exception; the stubs omit it.
        replacement.auth_header = getattr(exc, "auth_header", None)  # type: ignore[attr-defined]
        exc = replacement
    return drf_exception_handler(exc, context)
