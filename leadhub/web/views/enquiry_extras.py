"""The enquiry page's cards from the channel apps: the ERP's quotes and orders (owner
only), the requested catalogue items, and the event of a sign-up."""

from __future__ import annotations

from typing import Any

from leadhub.catalogue.queries import item_lines_for
from leadhub.enquiries.models import Enquiry
from leadhub.enquiries.queries import Access, may_work
from leadhub.events.queries import signup_for
from leadhub.orgs.models import User
from leadhub.quotes.queries import quotes_for


def extras_context(user: User, access: Access, enquiry: Enquiry) -> dict[str, Any]:
    return {
        "quotes": quotes_for(user, access, enquiry),
        "may_choose_main": may_work(user, access, enquiry),
        "item_lines": item_lines_for(access, enquiry),
        "event_signup": signup_for(access, enquiry),
    }
