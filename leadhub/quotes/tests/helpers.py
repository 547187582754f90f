"""ERP channels of the brand and of dealer A, and an enquiry dealer A has accepted."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone

from leadhub.enquiries.models import Enquiry
from leadhub.network.load import load_network
from leadhub.orgs.models import User
from leadhub.routing.actions import accept_offer, assign_by_hand
from leadhub.testing.world import World, deliver, network, payload

BRAND_ERP_TOKEN = "brand-erp-token-000001"
DEALER_ERP_TOKEN = "dealer-a-erp-token-0001"


def add_erp_channels() -> None:
    data = network()
    data["channels"] += [
        {"key": "brand-erp", "brand": "brand", "kind": "erp", "token": BRAND_ERP_TOKEN},
        {"key": "dealer-a-erp", "brand": "dealer-a", "kind": "erp", "token": DEALER_ERP_TOKEN},
    ]
    load_network(data)


def brand_enquiry(client: Client) -> Enquiry:
    return Enquiry.objects.get(number=deliver(client, payload()).json()["number"])


def dealer_enquiry(world: World, client: Client) -> Enquiry:
    """Offered to dealer A by hand and accepted there: dealer A owns it now."""
    enquiry = brand_enquiry(client)
    now = timezone.now()
    assign_by_hand(
        enquiry, by=User.objects.get(username="dispatcher"), now=now, partner=world.dealer_a
    )
    accept_offer(enquiry, by=User.objects.get(username="dealer-a-user"), now=now)
    enquiry.refresh_from_db()
    return enquiry
