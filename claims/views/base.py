"""What every workbench view shares: sign-in and role checks, and workflow errors answered
as pages (or htmx fragments) with a message in words instead of a server error."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.middleware import HtmxDetails

from .. import roles
from ..errors import WorkflowError
from ..roles import Actor


class HtmxRequest(HttpRequest):
    """Every request here: django-htmx's middleware says whether htmx sent it."""

    htmx: HtmxDetails


class WorkbenchRequest(HtmxRequest):
    """What a view behind `workbench` receives: a signed-in person with a role."""

    user: Actor


NO_WORKBENCH = (
    "This account cannot use the workbench: it is for reviewers and editors "
    "(partner accounts use the API). Ask an editor if you need access."
)


def refused(request: HtmxRequest, message: str, *, status: int = 403) -> HttpResponse:
    """The answer to an action the person may not take, or that cannot be done now."""
    context = {"message": message, "status": status}
    if request.htmx:
        response = TemplateResponse(request, "claims/_alert.html", context, status=status)
        # Show it in the page's message area, whatever the form aimed at.
        response["HX-Retarget"] = "#messages"
        response["HX-Reswap"] = "innerHTML"
        return response
    return TemplateResponse(request, "claims/refused.html", context, status=status)


def workbench(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in required; reviewers and editors only; workflow refusals become 403/400/409
    pages with the workflow's message."""

    @wraps(view)
    def wrapper(request: HtmxRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not roles.can_use_workbench(request.user):
            return refused(request, NO_WORKBENCH, status=403)
        try:
            return view(request, *args, **kwargs)
        except WorkflowError as exc:
            return refused(request, exc.message, status=exc.status_code)
        except PermissionDenied as exc:
            return refused(request, str(exc) or "You are not allowed to do that.", status=403)

    return wrapper


def editors_only(request: HttpRequest, what: str) -> None:
    if not roles.is_editor(request.user):
        raise PermissionDenied(roles.editor_refusal(what))


def back(request: HttpRequest, default: str) -> HttpResponse:
    """Redirect to the form's `next` page when it is on this site, else to `default`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)
