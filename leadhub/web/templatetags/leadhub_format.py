"""Display helpers for templates."""

from __future__ import annotations

import phonenumbers
from django import template
from django.conf import settings

register = template.Library()
LANGUAGE_NAMES = dict(settings.LANGUAGES)


@register.filter
def phone(e164: str) -> str:
    """+390471123456 -> +39 0471 123456 (stored as E.164, shown as people write it)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


@register.filter
def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)
