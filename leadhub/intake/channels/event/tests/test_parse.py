import json
from pathlib import Path

import pytest

from leadhub.intake.channels.event.parse import parse
from leadhub.intake.leaddata import IntakeError

FIXTURE = Path(__file__).parent / "fixtures" / "architect-talk-signup.json"


def test_the_fixture() -> None:
    signup = parse(FIXTURE.read_bytes(), default_country="IT")
    assert (signup.event, signup.participants, signup.participant_name) == (
        "architect-talk-bz-2026",
        2,
        "Arch. Giulia Ferri",
    )
    lead = signup.lead
    assert lead.type == "event" and lead.contact.kind == "prescriber"
    assert lead.contact.phone == "+390471555010" and lead.external_id == "signup-2026-000117"
    assert "type" not in lead.raw  # kept as received


def test_every_problem_at_once() -> None:
    body = json.loads(FIXTURE.read_text())
    body |= {"type": "quote", "event": "Not A Key", "participants": 0}
    body["contact"]["email"] = "nope"
    with pytest.raises(IntakeError) as caught:
        parse(json.dumps(body).encode(), default_country="IT")
    assert [e.field for e in caught.value.errors] == [
        "contact.email",
        "type",
        "event",
        "participants",
    ]


def test_event_is_required_and_body_must_be_an_object() -> None:
    body = json.loads(FIXTURE.read_text())
    del body["event"]
    with pytest.raises(IntakeError) as caught:
        parse(json.dumps(body).encode(), default_country="IT")
    assert [e.field for e in caught.value.errors] == ["event"]
    with pytest.raises(IntakeError) as caught:
        parse(b"[]", default_country="IT")
    assert caught.value.errors[0].field == "body"
