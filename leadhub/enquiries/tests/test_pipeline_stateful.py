"""Random action sequences through the API keep the pipeline's invariants (hypothesis)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from leadhub.enquiries.models import Status
from leadhub.enquiries.states import ACTIONS, CLOSED, TransitionError, transition
from leadhub.testing.handoff import TRENTO, build_handoff_world
from leadhub.testing.world import api_token, deliver, payload

REASONS = {"prospect": "Bought elsewhere", "ours": "Outside our sales area"}


class Pipeline(RuleBasedStateMachine):
    client: Client
    partners: dict[str, dict[str, str]]  # partner key -> its user's API auth header
    brand: dict[str, str]

    @initialize(type_=st.sampled_from(["quote", "relationship"]))
    def new_enquiry(self, type_: str) -> None:
        body = payload(type=type_)
        body["contact"]["address"] = dict(TRENTO)
        delivered = deliver(self.client, body).json()
        self.number = delivered["number"].replace("/", "-")
        self.partner = self.partners[delivered["routed_to"]["target"]]  # the pool's choice
        response = self.client.post(f"/api/v1/enquiries/{self.number}/accept", headers=self.partner)
        assert response.status_code == 200, response.content
        self.type = type_
        self.status = Status.NEW.value
        self.last_active = ""
        self.actions_done = 0

    @rule(
        action=st.sampled_from(sorted(ACTIONS)),
        days=st.integers(1, 60),
        group=st.sampled_from(sorted(REASONS)),
        amount=st.decimals(0, 10**6, places=2, allow_nan=False, allow_infinity=False),
    )
    def act(self, action: str, days: int, group: str, amount: Decimal) -> None:
        body: dict[str, Any] = {
            "at": (timezone.now() + timedelta(days=days)).isoformat(),
            "place": "site",
            "reason_group": group,
            "reason": REASONS[group],
            "quote_amount": str(amount),
        }
        response = self.client.post(
            f"/api/v1/enquiries/{self.number}/actions/{action}",
            body,
            content_type="application/json",
            headers=self.partner,
        )
        try:
            expected = transition(self.status, action, self.type, self.last_active)
        except TransitionError:
            assert response.status_code == 409, (action, self.status, response.content)
            return
        assert response.status_code == 200, (action, self.status, response.content)
        if expected in CLOSED:
            self.last_active = self.status
        self.status = expected
        self.actions_done += 1

    @invariant()
    def consistent(self) -> None:
        if not hasattr(self, "number"):
            return
        owner = self.client.get(f"/api/v1/enquiries/{self.number}", headers=self.partner).json()
        assert owner["status"] == self.status
        if self.status not in CLOSED:
            assert owner["due_at"] is not None  # an open enquiry always owes a next step
        action_entries = [h for h in owner["history"] if h["category"] == "action"]
        assert len(action_entries) == self.actions_done  # one entry per action, none per refusal
        brand = self.client.get(f"/api/v1/enquiries/{self.number}", headers=self.brand).json()
        assert brand["values"] is None and brand["status"] == self.status
        amount = owner["values"]["quote_amount"]
        if amount is not None:
            # Not anywhere the brand reads: no amount field, no history text. (A plain search of
            # the whole answer also hits timestamps: "…16:05:11.811Z" contains "11.81".)
            assert not any("amount" in key for key in _keys(brand))
            assert all(amount not in h["message"] for h in brand["history"])


def _keys(node: Any) -> list[str]:
    """Every key of a JSON answer, at any depth."""
    if isinstance(node, dict):
        return [k for key, value in node.items() for k in (key, *_keys(value))]
    if isinstance(node, list):
        return [k for item in node for k in _keys(item)]
    return []


@pytest.mark.django_db
def test_random_action_sequences_keep_the_invariants(client: Client) -> None:
    build_handoff_world()
    Pipeline.client = client
    Pipeline.partners = {
        "dealer-a": api_token(client, "dealer-a-user"),
        "dealer-b": api_token(client, "dealer-b-user"),
    }
    Pipeline.brand = api_token(client, "dispatcher")
    run_state_machine_as_test(
        Pipeline,
        settings=settings(
            max_examples=15,
            stateful_step_count=10,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
