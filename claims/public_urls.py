"""Public pages: published fact-checks and the people who made the claims, readable without a login."""

from django.urls import path

from . import public

app_name = "public"

urlpatterns = [
    path("fact-checks/", public.fact_check_index, name="index"),
    path("fact-checks/feed/", public.FactCheckFeed(), name="feed"),
    path("fact-checks/rating-scale/", public.rating_scale, name="rating_scale"),
    path("fact-checks/<slug:slug>/", public.fact_check_detail, name="fact_check"),
    path("speakers/<slug:slug>/", public.speaker_detail, name="speaker"),
]
