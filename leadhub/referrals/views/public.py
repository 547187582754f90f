"""The broker's form (A5): opened through the private link, without an account. It shows
the form and, after sending, that referral's confirmation — never other referrals."""

from __future__ import annotations

import secrets

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..actions import submit_referral
from ..models import ReferralLink
from ..submission import MAX_DOCUMENTS, ReferralSubmission

CLIENT_FIELDS = (
    "first_name",
    "last_name",
    "phone",
    "email",
    "national_id",
    "id_card",
    "note",
    "documents",
)
BROKER_FIELDS = ("broker_name", "broker_email", "broker_phone")


def _live(secret: str) -> ReferralLink:
    link = (
        ReferralLink.objects.select_related("form__brand")
        .filter(secret=secret, revoked_at__isnull=True)
        .first()
    )
    if link is None:
        raise Http404(_("This link is no longer valid."))
    return link


def _private(response: HttpResponse) -> HttpResponse:
    # The secret is in the address: keep it out of search engines and other sites' logs.
    # "same-origin", not "no-referrer": with that, browsers send `Origin: null` on the
    # form's POST and the CSRF check refuses it.
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


def public_form(request: HttpRequest, secret: str) -> HttpResponse:
    link = _live(secret)
    form = link.form
    if request.method == "POST":
        submission = ReferralSubmission(request.POST, request.FILES, country=form.brand.country)
        if submission.is_valid():
            referral, _new = submit_referral(
                link,
                submission.referral_data(),
                form_key=submission.cleaned_data["form_key"],
                now=timezone.now(),
            )
            context: dict[str, object] = {"form": form, "referral": referral}
            return _private(render(request, "referrals/public_thanks.html", context))
        status = 422
    else:
        submission = ReferralSubmission(
            initial={"form_key": secrets.token_hex(16)}, country=form.brand.country
        )
        status = 200
    context = {
        "form": form,
        "submission": submission,
        "client_fields": [submission[n] for n in CLIENT_FIELDS],
        "broker_fields": [submission[n] for n in BROKER_FIELDS],
        "max_documents": MAX_DOCUMENTS,
    }
    return _private(render(request, "referrals/public_form.html", context, status=status))
