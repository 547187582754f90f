import pytest

from leadhub.privacy.redact import MARK, redact


@pytest.mark.parametrize(
    ("text", "known", "expected"),
    [
        ("Call me on 0471 123456 after 6", [], f"Call me on {MARK} after 6"),
        ("or +43 512 567890.", [], f"or {MARK}."),
        ("Write to luca.moretti@example.com please", [], f"Write to {MARK} please"),
        (
            "I am Luca Moretti from Studio Moretti",
            ["Luca", "Moretti", "Studio Moretti"],
            f"I am {MARK} {MARK} from {MARK}",
        ),
        ("We live in Via Roma 12, Bolzano", ["Via Roma 12"], f"We live in {MARK}, Bolzano"),
        (
            "PESEL 44051401359, IBAN IT60 X054 2811 1010 0000 0123 456",
            [],
            f"PESEL {MARK}, IBAN {MARK}",
        ),
        (
            "Appointment on 12.11.2026, budget 15.000 EUR",
            [],
            "Appointment on 12.11.2026, budget 15.000 EUR",
        ),
        ("See https://photos.example/me", [], f"See {MARK}"),
        (
            "Nine windows, 120 x 140 cm, triple glazing",
            ["Rossi"],
            "Nine windows, 120 x 140 cm, triple glazing",
        ),
        ("Mr Rossiter is not Rossi", ["Rossi"], f"Mr Rossiter is not {MARK}"),
    ],
)
def test_redact(text: str, known: list[str], expected: str) -> None:
    assert redact(text, known=known, region="IT") == expected
