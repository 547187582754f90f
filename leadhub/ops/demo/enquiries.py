"""Sample enquiries for the demo, delivered through the real webhook path (parse + ingest)."""

from __future__ import annotations

import hashlib
import json
import random
from typing import Any

from leadhub.intake.channels.webhook.parse import parse
from leadhub.intake.ingest import ingest
from leadhub.intake.models import Channel

PEOPLE = [
    (
        "Sig.",
        "Luca",
        "Moretti",
        "IT",
        "it",
        "+39 0471 123456",
        "Via Roma 12",
        "39100",
        "Bolzano",
        "BZ",
    ),
    ("Frau", "Maria", "Huber", "IT", "de", "+39 0473 222333", "Lauben 5", "39012", "Meran", "BZ"),
    (
        "Sig.ra",
        "Chiara",
        "Ricci",
        "IT",
        "it",
        "0461 987654",
        "Via Belenzani 3",
        "38122",
        "Trento",
        "TN",
    ),
    (
        "Sig.",
        "Davide",
        "Galli",
        "IT",
        "it",
        "045 8001234",
        "Corso Porta Nuova 40",
        "37122",
        "Verona",
        "VR",
    ),
    (
        "Herr",
        "Thomas",
        "Wagner",
        "AT",
        "de",
        "0512 567890",
        "Maria-Theresien-Str. 18",
        "6020",
        "Innsbruck",
        "",
    ),
    (
        "Pani",
        "Katarzyna",
        "Wiśniewska",
        "PL",
        "pl",
        "12 345 67 89",
        "ul. Floriańska 20",
        "31-019",
        "Kraków",
        "",
    ),
    (
        "Sig.",
        "Giorgio",
        "Fontana",
        "IT",
        "it",
        "02 7654321",
        "Via Torino 8",
        "20123",
        "Milano",
        "MI",
    ),
    ("Herr", "Stefan", "Mair", "IT", "de", "0474 555111", "Stadtgasse 2", "39031", "Bruneck", "BZ"),
]
TEXTS = {
    "quote": "We are renovating our house and need a quote for 9 windows and a balcony door, triple glazing.",
    "appointment": "I would like to visit a showroom to see the wooden-aluminium windows.",
    "brochure": "Please send me the brochure on entrance doors.",
    "sample": "Could I get a sample of the oak finish?",
    "other": "Do you also replace roller shutters?",
}


def sample_payloads(count: int = 24, seed: int = 7) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    payloads = []
    for i in range(count):
        title, first, last, country, lang, phone, street, postcode, city, province = PEOPLE[
            i % len(PEOPLE)
        ]
        kind = rng.choice(list(TEXTS))
        payloads.append(
            {
                "type": kind,
                "text": TEXTS[kind],
                "external_id": f"demo-{i + 1:03d}",
                "contact": {
                    "title": title,
                    "first_name": first,
                    "last_name": last,
                    "email": f"{first}.{last}@mail.example".lower().replace("ś", "s"),
                    "phone": phone,
                    "language": lang,
                    "address": {
                        "street": street,
                        "postal_code": postcode,
                        "city": city,
                        "province": province,
                        "country": country,
                    },
                },
                "project_name": "Renovation" if kind == "quote" else "",
                "referrer_url": "https://www.alpina.example/en/windows/wood-aluminium",
                "utm": {
                    "source": rng.choice(["google", "newsletter", "instagram"]),
                    "medium": "cpc",
                    "campaign": "autumn-2026",
                },
            }
        )
    return payloads


def deliver_samples(channel_key: str = "alpina-web", count: int = 24) -> tuple[int, int]:
    """Deliver the sample enquiries; returns (created, already there)."""
    channel = Channel.objects.select_related("brand").get(key=channel_key)
    created = replayed = 0
    for payload in sample_payloads(count):
        body = json.dumps(payload).encode()
        lead = parse(body, default_country=channel.brand.country)
        delivery = ingest(
            channel, lead, idempotency_key=None, body_digest=hashlib.sha256(body).hexdigest()
        )
        replayed += delivery.replayed
        created += not delivery.replayed
    return created, replayed


def play_handoffs() -> list[str]:
    """Let two partners react, so the demo shows accepted and returned enquiries too."""
    from django.utils import timezone

    from leadhub.orgs.models import User
    from leadhub.routing.actions import accept_offer, reject_offer
    from leadhub.routing.models import Offer, OfferStatus

    done = []
    pending = Offer.objects.filter(status=OfferStatus.PENDING).select_related("enquiry", "partner")
    tirol = pending.filter(partner__key="fenster-tirol").order_by("id").first()
    if tirol:
        accept_offer(tirol.enquiry, by=User.objects.get(username="tirol"), now=timezone.now())
        done.append(f"{tirol.enquiry.number} accepted by Fenster Tirol")
    krakow = pending.filter(partner__key="okna-krakow").order_by("id").first()
    if krakow:
        reject_offer(
            krakow.enquiry,
            by=User.objects.get(username="krakow"),
            reason="Outside our sales area",
            now=timezone.now(),
        )
        done.append(f"{krakow.enquiry.number} rejected by Okna Kraków")
    return done
