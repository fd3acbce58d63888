"""Routes under /api/: the v1 API on one router, the OpenAPI schema and its docs."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("fact-checks", views.FactCheckViewSet, basename="fact-check")
router.register("speakers", views.SpeakerViewSet, basename="speaker")
router.register("articles", views.ArticleViewSet, basename="article")
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("webhooks", views.WebhookViewSet, basename="webhook")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]), name="schema"),
    # The split view serves Swagger UI's start-up script as a file, as the CSP requires.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", authentication_classes=[], permission_classes=[]),
        name="docs",
    ),
    path(
        "redoc/",
        csp_update({"worker-src": ["blob:"]})(  # ReDoc's search runs in a worker it builds itself
            SpectacularRedocView.as_view(
                url_name="api:schema", template_name="api/redoc.html", authentication_classes=[], permission_classes=[]
            )
        ),
        name="redoc",
    ),
]
