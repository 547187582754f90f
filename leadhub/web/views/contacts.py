"""The contact page, its edit form, "add colleague" and consents (D2, D3). Each view starts
with contacts.queries' access functions (404 for whoever may not see or edit)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from leadhub.contacts.actions import add_colleague, save_contact, set_consent
from leadhub.contacts.models import ConsentKind, Contact, EmailLabel, PhoneLabel
from leadhub.contacts.queries import (
    changes_of,
    colleagues_of,
    consents_now,
    contact_for_user,
    contact_to_edit,
    emails_of,
    enquiries_of,
    phones_of,
)
from leadhub.contacts.validation import ContactInvalid, EmailRow, PhoneRow

from ..contact_forms import (
    ColleagueForm,
    DetailsForm,
    email_rows,
    initial_of,
    phone_rows,
    province_lists,
    shown_rows,
)
from .common import current_user


@login_required
def contact_detail(request: HttpRequest, contact_id: int) -> HttpResponse:
    user = current_user(request)
    seen = contact_for_user(user, contact_id)
    contact = seen.contact
    context = {
        "contact": contact,
        "may_edit": seen.may_edit,
        "emails": emails_of(contact),
        "phones": phones_of(contact),
        "consents": consents_now(contact),
        "consent_kinds": ConsentKind.choices,
        "enquiries": enquiries_of(user, contact),
        "colleagues": colleagues_of(user, contact),
        "changes": changes_of(contact) if seen.may_edit else [],
    }
    return render(request, "web/contact_detail.html", context)


@login_required
def contact_edit(request: HttpRequest, contact_id: int) -> HttpResponse:
    user = current_user(request)
    contact = contact_to_edit(user, contact_id)
    post = request.POST if request.method == "POST" else None
    form = DetailsForm(post, initial=initial_of(contact))
    emails, phones = email_rows(post, contact), phone_rows(post, contact)
    problems: dict[str, str] = {}
    if post is not None and form.is_valid():
        try:
            save_contact(contact, form.details(), emails=emails, phones=phones, by=user)
        except ContactInvalid as exc:
            problems = exc.problems
            form.add_problems({k: v for k, v in problems.items() if "." not in k})
        else:
            messages.success(request, _("Contact saved."))
            return redirect("contact-detail", contact.pk)
    return _form_page(request, contact, form, emails, phones, problems, colleague=False)


@login_required
def contact_colleague(request: HttpRequest, contact_id: int) -> HttpResponse:
    user = current_user(request)
    contact = contact_to_edit(user, contact_id)
    post = request.POST if request.method == "POST" else None
    form = ColleagueForm(post, initial={"kind": contact.kind, "language": contact.language})
    emails, phones = email_rows(post, None), phone_rows(post, None)
    problems: dict[str, str] = {}
    if post is not None and form.is_valid():
        try:
            colleague = add_colleague(
                contact, form.details(), emails=emails, phones=phones, by=user
            )
        except ContactInvalid as exc:
            problems = exc.problems
            form.add_problems({k: v for k, v in problems.items() if "." not in k})
        else:
            messages.success(request, _("Colleague added."))
            return redirect("contact-detail", colleague.pk)
    return _form_page(request, contact, form, emails, phones, problems, colleague=True)


def _form_page(
    request: HttpRequest,
    contact: Contact,
    form: DetailsForm,
    emails: list[EmailRow],
    phones: list[PhoneRow],
    problems: dict[str, str],
    *,
    colleague: bool,
) -> HttpResponse:
    context = {
        "contact": contact,
        "form": form,
        "colleague": colleague,
        "email_rows": shown_rows([(e.email, e.label) for e in emails], problems, "emails"),
        "phone_rows": shown_rows([(p.phone, p.label) for p in phones], problems, "phones"),
        "row_problems": [problems[k] for k in ("emails", "phones") if k in problems],
        "email_labels": EmailLabel.choices,
        "phone_labels": PhoneLabel.choices,
        "province_lists": province_lists(),
        "country": (
            (form["country"].value() if "country" in form.fields else "") or contact.country
        ).upper(),
        "province": form["province"].value() if "province" in form.fields else "",
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "web/contact_edit.html", context, status=status)


@login_required
@require_POST
def contact_consent(request: HttpRequest, contact_id: int) -> HttpResponse:
    user = current_user(request)
    contact = contact_to_edit(user, contact_id)
    try:
        done = set_consent(
            contact,
            request.POST.get("kind", ""),
            given=request.POST.get("given") == "yes",
            source=request.POST.get("source", ""),
            by=user,
        )
    except ContactInvalid as exc:
        messages.error(request, "; ".join(exc.problems.values()))
    else:
        messages.success(request, _("Consent recorded.") if done else _("No change."))
    return redirect("contact-detail", contact.pk)
