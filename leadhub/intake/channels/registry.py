"""The settings each channel kind needs besides its token, checked when the network file
is loaded (so a typo in a signing key's name is found then, not at the first delivery).

Each kind with settings adds its model (from its folder's settings.py) to SETTINGS; kinds
without an entry take none.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from .adf.settings import AdfSettings
from .calendly.settings import CalendlySettings
from .meta_lead_ads.settings import MetaLeadAdsSettings


class NoSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")


SETTINGS: dict[str, type[BaseModel]] = {
    "meta_lead_ads": MetaLeadAdsSettings,
    "calendly": CalendlySettings,
    "adf": AdfSettings,
}


def settings_model(kind: str) -> type[BaseModel]:
    return SETTINGS.get(kind, NoSettings)


def checked_settings(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    """The settings as stored (validated, defaults filled in); raises pydantic's error."""
    return settings_model(kind).model_validate(raw).model_dump(mode="json")
