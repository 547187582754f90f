"""The `settings:` an adf channel takes in the network file."""

import pytest
from pydantic import ValidationError

from leadhub.intake.channels.adf.settings import AdfSettings
from leadhub.intake.channels.registry import checked_settings

MAILBOX = {"host": "imap.example.com", "user": "leads@example.com", "password": "secret"}


def test_defaults_are_filled_in() -> None:
    stored = checked_settings("adf", {"imap": MAILBOX})
    assert stored["imap"]["folder"] == "INBOX" and stored["imap"]["ssl"] is True
    assert AdfSettings.model_validate(stored).imap.effective_port() == 993  # type: ignore[union-attr]
    assert checked_settings("adf", {}) == {"allowed_senders": [], "imap": None}


@pytest.mark.parametrize(
    "given",
    [
        {"imap": {**MAILBOX, "pasword": "typo"}},
        {"imap": {**MAILBOX, "password": ""}},
        {"imap": {**MAILBOX, "password_env": "IMAP_PASSWORD"}},  # both
        {"imap": {"host": "imap.example.com", "password": "x"}},
        {"mailbox": MAILBOX},
    ],
)
def test_mistakes_are_found_when_the_network_file_is_loaded(given: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        checked_settings("adf", given)


def test_allowed_senders() -> None:
    s = AdfSettings(allowed_senders=["leads@carmarket.example", "@Autohaus.example"])
    assert s.allows("LEADS@carmarket.example") and s.allows("web@autohaus.example")
    assert not s.allows("other@carmarket.example") and not s.allows("")
    assert AdfSettings().allows("anyone@example.com")
