from django.urls import path

from . import views

urlpatterns = [
    path("duplicates/", views.duplicate_list, name="duplicates"),
    path(
        "duplicates/compare/<int:first>/<int:second>/",
        views.compare,
        name="duplicates-compare",
    ),
    path(
        "duplicates/<int:candidate_id>/link/",
        views.decide,
        {"decision": "link"},
        name="duplicate-link",
    ),
    path(
        "duplicates/<int:candidate_id>/merge/",
        views.decide,
        {"decision": "merge"},
        name="duplicate-merge",
    ),
    path(
        "duplicates/<int:candidate_id>/not-duplicate/",
        views.decide,
        {"decision": "apart"},
        name="duplicate-apart",
    ),
    path("duplicates/merges/<int:merge_id>/undo/", views.undo, name="duplicate-undo"),
]
