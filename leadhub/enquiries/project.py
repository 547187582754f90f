"""Project data (C8): name, type, and a site address when it differs from the contact's."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from leadhub.orgs.models import User
from leadhub.search import index as search_index

from .history import record
from .models import Enquiry, HistoryCategory, ProjectType

FIELDS = (
    "project_name",
    "project_type",
    "site_street",
    "site_postal_code",
    "site_city",
    "site_province",
    "site_country",
)


class ProjectRefused(ValueError):
    pass


@transaction.atomic
def update_project(enquiry: Enquiry, *, by: User, now: datetime, values: dict[str, str]) -> Enquiry:
    """Change the given project fields; the history says which ones changed."""
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ProjectRefused(f"Unknown project fields: {', '.join(sorted(unknown))}.")
    if values.get("project_type", "") not in ("", *ProjectType.values):
        raise ProjectRefused("The project type is renovation, new_build or other.")
    cleaned = {k: " ".join(str(v).split()) for k, v in values.items()}
    cleaned = {
        k: (v.upper() if k in ("site_country", "site_province") else v) for k, v in cleaned.items()
    }
    if len(cleaned.get("site_country", "")) not in (0, 2):
        raise ProjectRefused("The site's country is a two-letter code, e.g. IT.")
    changed = [k for k, v in cleaned.items() if getattr(enquiry, k) != v]
    if not changed:
        return enquiry
    for name in changed:
        setattr(enquiry, name, cleaned[name])
    enquiry.updated_at = now
    enquiry.save(update_fields=[*changed, "updated_at"])
    search_index.refresh([enquiry.pk])  # the site address and project name are searched
    labels = ", ".join(n.replace("_", " ") for n in changed)
    record(
        enquiry,
        category=HistoryCategory.TEXT,
        kind="project_changed",
        message=f"Changed: {labels}.",
        actor=by,
    )
    return enquiry
