"""The enquiry list's rows and filter options, rendered in Python.

The list is the busiest page (and refreshes itself every 30 s); at 50 rows Django's template
engine spent most of the page's time on them: some 70 variable lookups, six localised
dates and a URL per row, and a `<select>` of every colleague of a brand with hundreds of
users (bench/list.py, docs/benchmarks.md). `format_html` escapes exactly as templates do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from leadhub.enquiries.listing import responsible_of
from leadhub.enquiries.models import Enquiry, EnquiryType, Status

_ROW = (
    '<tr class="{}{}">'
    '<td class="pick"><input type="checkbox" name="number" value="{}" form="bulk" aria-label="{} {}"></td>'
    '<td data-label="{}"><a href="{}">{}</a>{}</td>'
    '<td data-label="{}">{}</td>'
    '<td data-label="{}">{}{}</td>'
    '<td data-label="{}">{} {}</td>'
    '<td data-label="{}">{}{}</td>'
    '<td data-label="{}">{}</td>'
    '<td data-label="{}" class="due">{}</td>'
    '<td data-label="{}" class="wide">{}</td>'
    '<td data-label="{}" class="wide">{}</td>'
    "</tr>\n"
)


class _Labels:
    """Everything a row says that is not data, translated once per page."""

    def __init__(self) -> None:
        self.select = _("Select")
        self.number = _("Number")
        self.type = _("Type")
        self.contact = _("Contact")
        self.place = _("Place")
        self.status = _("Status")
        self.responsible = _("Responsible")
        self.due = _("Due")
        self.received = _("Received")
        self.last_change = _("Last change")
        self.changed = format_html(
            ' <span class="badge changed" title="{}">{}</span>',
            _("Changed by someone else since you last looked"),
            _("changed"),
        )
        self.returned = format_html(' <span class="badge returned">{}</span>', _("returned"))
        self.queue = format_html("<em>{}</em>", _("Dispatcher queue"))
        self.date_format = get_format("SHORT_DATETIME_FORMAT")
        # get_FOO_display() rebuilds a dict of every (lazily translated) choice per call.
        self.types = {value: str(label) for value, label in EnquiryType.choices}
        self.statuses = {value: str(label) for value, label in Status.choices}


def _time(value: datetime | None, date_format: str) -> SafeString:
    if value is None:
        return mark_safe('<time datetime=""></time>')
    local = timezone.localtime(value)
    return format_html(
        '<time datetime="{}">{}</time>', local.isoformat(), dateformat.format(local, date_format)
    )


def _responsible(e: Enquiry, org_id: int | None, labels: _Labels) -> str | SafeString:
    return responsible_of(e, org_id) or labels.queue


def render_rows(items: Sequence[Enquiry], *, now: datetime, org_id: int | None) -> SafeString:
    """The `<tr>` of each enquiry (with `is_unread` and `changed_by_other` set by the view)."""
    labels = _Labels()
    fmt = labels.date_format
    # One reverse() for the URL pattern, not one per row (numbers hold no characters to quote).
    marker = "000000-000000"
    detail = reverse("enquiry-detail", args=[marker.replace("-", "/")])
    rows = []
    for e in items:
        c = e.contact
        rows.append(
            format_html(
                _ROW,
                "overdue" if e.due_at and e.due_at < now else "",
                " unread" if getattr(e, "is_unread", False) else "",
                e.number,
                labels.select,
                e.number,
                labels.number,
                detail.replace(marker, e.url_number),
                e.number,
                labels.changed if getattr(e, "changed_by_other", False) else "",
                labels.type,
                labels.types.get(e.type, e.type),
                labels.contact,
                str(c),
                format_html("<br><small>{}</small>", c.company)
                if c.company and c.full_name()
                else "",
                labels.place,
                c.postal_code,
                c.city,
                labels.status,
                labels.statuses.get(e.status, e.status),
                labels.returned if e.returned_at and e.owner_id == org_id else "",
                labels.responsible,
                _responsible(e, org_id, labels),
                labels.due,
                _time(e.due_at, fmt),
                labels.received,
                _time(e.created_at, fmt),
                labels.last_change,
                _time(e.updated_at, fmt),
            )
        )
    return mark_safe("".join(rows))  # each row built by format_html


def render_options(choices: Iterable[tuple[str, str | Promise]], selected: str) -> SafeString:
    """A filter's `<option>`s (a brand's "responsible" filter lists hundreds of people)."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if value == selected else "", text)
            for value, text in choices
        ),
    )
