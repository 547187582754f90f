"""An accepted referral as the lead the intake stores (pure: no database).

The client's PESEL and identity-card number stay on the referral: the enquiry may be
handed to a partner, who needs a way to reach the client, not their national ids."""

from __future__ import annotations

from datetime import datetime

from leadhub.intake.leaddata import Address, ContactData, LeadData


def referral_lead(
    *,
    referral_id: int,
    first_name: str,
    last_name: str,
    phone: str,
    email: str,
    note: str,
    project: str,
    source: str,
    broker_name: str,
    broker_email: str,
    broker_phone: str,
    country: str,
    submitted_at: datetime,
) -> LeadData:
    broker = ", ".join(p for p in (broker_name, broker_email, broker_phone) if p)
    text = f"Referred by {broker} through the referral form “{source}” for {project}."
    if note:
        text += f"\n\n{note}"
    return LeadData(
        type="quote",  # a referred client wants to buy in the project: a concrete request
        contact=ContactData(
            first_name=first_name,
            last_name=last_name,
            email=email,
            phone=phone,
            kind="private",
            address=Address(country=country),
        ),
        text=text,
        project_name=project,
        external_id=f"referral-{referral_id}",
        submitted_at=submitted_at,
        raw={
            "referral": referral_id,
            "source": source,
            "project": project,
            "broker": {"name": broker_name, "email": broker_email, "phone": broker_phone},
        },
    )
