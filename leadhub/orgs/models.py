"""Organisations (brands and partners), their unit trees, users and API tokens."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

from leadhub.lib.workingtime import DEFAULT_WORKING_HOURS


class OrgKind(models.TextChoices):
    BRAND = "brand", "Brand"
    PARTNER = "partner", "Partner"


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    DISPATCHER = "dispatcher", "Dispatcher"
    SALES = "sales", "Sales"
    MANAGER = "manager", "Manager"
    VIEWER = "viewer", "Viewer"


def default_working_hours() -> dict[str, str]:
    return dict(DEFAULT_WORKING_HOURS)


def default_close_reasons() -> dict[str, list[str]]:
    """C1: why enquiries end, in two groups: the prospect's reasons and ours."""
    return {
        "prospect": [
            "Bought elsewhere",
            "Price too high",
            "Project postponed or cancelled",
            "No longer interested",
            "Not reachable",
        ],
        "ours": [
            "Outside our sales area",
            "Cannot deliver in time",
            "Product not suitable",
            "Duplicate enquiry",
        ],
    }


class Organisation(models.Model):
    """A brand or a partner: each is its own private data space and the owner of its data."""

    key = models.SlugField(max_length=64, unique=True)
    kind = models.CharField(max_length=8, choices=OrgKind.choices)
    name = models.CharField(max_length=200)
    customer_code = models.CharField(max_length=64, blank=True)
    email = models.EmailField(blank=True)
    country = models.CharField(max_length=2)
    subdivision = models.CharField(max_length=8, blank=True)
    timezone = models.CharField(max_length=64, default="Europe/Rome")
    working_hours = models.JSONField(default=default_working_hours)
    closing_days = models.JSONField(default=list, blank=True)  # ISO dates on top of holidays
    response_hours = models.PositiveIntegerField(default=48)
    close_reasons = models.JSONField(default=default_close_reasons)
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    # Bumped whenever its rules or zones change, so compiled rules are rebuilt.
    routing_version = models.PositiveIntegerField(default=0)
    brands = models.ManyToManyField("self", symmetrical=False, related_name="partners", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_brand(self) -> bool:
        return self.kind == OrgKind.BRAND


class OrgUnit(models.Model):
    """A node of an organisation's tree: head office, region, branch, showroom."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    key = models.SlugField(max_length=64)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="unit_key_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="users", null=True
    )
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="users"
    )
    roles = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=8, blank=True)

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    def display_name(self) -> str:
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 is stored, the token itself is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"token of {self.user_id}"


class RightLevel(models.TextChoices):
    ALL = "all", "All"
    UNITS = "units", "Own units"
    OWN = "own", "Own only"
    NONE = "none", "None"


class CategoryRight(models.Model):
    """What a user sees of one enquiry category (B9); `*` sets the default for the rest."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="category_rights")
    category = models.CharField(max_length=16)  # an enquiry type, or "*"
    level = models.CharField(max_length=8, choices=RightLevel.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "category"], name="one_right_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.category}={self.level}"
