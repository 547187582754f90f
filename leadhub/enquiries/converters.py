"""URL converter for enquiry numbers: 251122-000123 (or 251122/000123) -> 251122/000123."""

from __future__ import annotations

from django.urls import register_converter


class EnquiryNumberConverter:
    regex = r"[0-9]{6}[-/][0-9]{6,9}"

    def to_python(self, value: str) -> str:
        return value.replace("-", "/", 1)

    def to_url(self, value: str) -> str:
        return value.replace("/", "-", 1)


register_converter(EnquiryNumberConverter, "enquirynumber")
