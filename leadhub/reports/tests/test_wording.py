"""Labels set into headings: lower case mid-sentence, except where nouns keep a capital."""

from django.utils import translation

from leadhub.reports.wording import in_sentence


def test_labels_read_lower_case_in_english_french_italian_polish() -> None:
    for language in ("en", "fr", "it", "pl"):
        with translation.override(language):
            assert in_sentence("Channel") == "channel"


def test_german_nouns_keep_their_capital() -> None:
    with translation.override("de"):
        assert in_sentence("Kanal") == "Kanal"
    with translation.override("de-ch"):
        assert in_sentence("Partner") == "Partner"
