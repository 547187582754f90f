"""Sales zones and routing rules of a brand (matching and targets: leadhub.routing.match)."""

from __future__ import annotations

from django.db import models


class Zone(models.Model):
    brand = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="zones")
    key = models.SlugField(max_length=64)
    country = models.CharField(max_length=2)
    postal_codes = models.JSONField(default=list, blank=True)  # "39100", "38*", "39000-39999"
    provinces = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["brand", "key"], name="zone_key_per_brand")]

    def __str__(self) -> str:
        return self.key


class Rule(models.Model):
    brand = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="rules")
    key = models.SlugField(max_length=64)
    order = models.IntegerField()
    when = models.JSONField(default=dict, blank=True)
    then = models.JSONField(default=dict)

    class Meta:
        ordering = ["brand", "order", "key"]
        constraints = [models.UniqueConstraint(fields=["brand", "key"], name="rule_key_per_brand")]

    def __str__(self) -> str:
        return self.key
