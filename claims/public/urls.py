"""Public pages: published fact-checks and the people who made the claims, readable without a login."""

from django.urls import path

from . import views
from .feed import FactCheckFeed

app_name = "public"

urlpatterns = [
    path("fact-checks/", views.fact_check_index, name="index"),
    path("fact-checks/feed/", FactCheckFeed(), name="feed"),
    path("fact-checks/rating-scale/", views.rating_scale, name="rating_scale"),
    path("fact-checks/<slug:slug>/", views.fact_check_detail, name="fact_check"),
    path("speakers/<slug:slug>/", views.speaker_detail, name="speaker"),
]
