"""Every route of the project, in one place."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness for load balancers and docker compose: the app answers and reaches its database."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


admin.site.site_header = "Fact-check workbench"
admin.site.site_title = "Fact-check workbench"
admin.site.index_title = "Editor's desk"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's, a JSON answer).
    path("favicon.ico", lambda request: redirect(static("claims/favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
    path("api/", include("claims.api.urls")),
    path("", include("claims.public.urls")),
    path("", include("claims.urls")),
]
