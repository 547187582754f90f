"""Convert to customer (C11) from the enquiry page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from leadhub.enquiries.customer import ConversionRefused, convert
from leadhub.enquiries.queries import may_work

from .common import acting_on, back_to


@login_required
@require_POST
def customer(request: HttpRequest, number: str) -> HttpResponse:
    user, enquiry, _access = acting_on(request, number, may_work)
    try:
        done = convert(
            enquiry,
            by=user,
            now=timezone.now(),
            import_contact=request.POST.get("decision") == "import",
            customer_number=request.POST.get("customer_number", ""),
        )
    except ConversionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done.get_customer_decision_display())
    return back_to(number)
