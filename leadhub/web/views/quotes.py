"""Make an alternative the main quote or order (A7), from the enquiry page's Quotes card."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from leadhub.enquiries.queries import may_work
from leadhub.quotes.actions import QuoteRefused, make_main
from leadhub.quotes.models import Quote

from .common import acting_on, back_to


@login_required
@require_POST
def quote_main(request: HttpRequest, number: str, quote_id: int) -> HttpResponse:
    user, enquiry, _access = acting_on(request, number, may_work)
    quote = Quote.objects.filter(
        pk=quote_id, enquiry=enquiry, organisation=user.organisation
    ).first()
    if quote is None:
        raise Http404
    try:
        make_main(quote, by=user, now=timezone.now())
    except QuoteRefused as exc:
        messages.error(request, str(exc))
    return back_to(number, "quotes")
