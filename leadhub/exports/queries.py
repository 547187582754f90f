"""Reads of exports: a user sees their own, nobody else's (404, decision 0006)."""

from __future__ import annotations

from pathlib import Path

from django.db.models import QuerySet
from django.http import Http404

from leadhub.orgs.models import User

from .actions import root
from .models import Export, ExportStatus


def exports_of(user: User) -> QuerySet[Export]:
    if not user.is_authenticated or user.organisation is None:
        return Export.objects.none()
    return Export.objects.filter(owner=user, organisation=user.organisation).order_by(
        "-created_at", "-id"
    )


def export_for_user(user: User, export_id: int) -> Export:
    export = exports_of(user).filter(pk=export_id).first()
    if export is None:
        raise Http404("No such export.")
    return export


def file_of(export: Export) -> Path:
    """The finished file; 404 while it is not ready, after it expired, or if it is gone."""
    if export.status != ExportStatus.DONE or not export.file_path:
        raise Http404("The file is not ready.")
    path = root() / export.file_path
    if not path.is_file():
        raise Http404("The file is missing.")
    return path
