"""The JSON API, version 1 (OpenAPI at /api/docs)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI

import leadhub.enquiries.converters  # noqa: F401  (registers the path converter)
from leadhub.duplicates.actions import DuplicateRefused

from . import (  # noqa: F401  (assignment, documents, entry, handoff, intake_adf, work add routes)
    assignment,
    auth_tokens,
    contacts,
    documents,
    duplicates,
    enquiries,
    entry,
    exports,
    handoff,
    intake,
    intake_adf,
    intake_calendly,
    intake_event,
    intake_meta,
    quotes,
    referrals,
    reports,
    search,
    work,
)

api = NinjaAPI(
    title="Leadhub API",
    version="1",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
api.add_router("/v1/auth", auth_tokens.router)
api.add_router("/v1/intake", intake.router)
api.add_router("/v1/intake", intake_meta.router)
api.add_router("/v1/intake", intake_calendly.router)
api.add_router("/v1/enquiries", enquiries.router)
api.add_router("/v1/contacts", contacts.router)
api.add_router("/v1/quotes", quotes.router)
api.add_router("/v1/referrals", referrals.router)
api.add_router("/v1/referral-forms", referrals.forms_router)
api.add_router("/v1/search", search.router)
api.add_router("/v1/reports", reports.router)
api.add_router("/v1/exports", exports.router)
api.add_router("/v1", duplicates.router)


@api.get("/v1/health", tags=["operations"], summary="Liveness check")
def health(request: HttpRequest) -> dict[str, str]:
    """Answers without touching the database: for load balancers, and the stack's speed ceiling."""
    return {"status": "ok"}


@api.exception_handler(DuplicateRefused)
def duplicate_refused(request: HttpRequest, exc: DuplicateRefused) -> HttpResponse:
    """A duplicates action the state forbids (routes declare it as their 409)."""
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)
