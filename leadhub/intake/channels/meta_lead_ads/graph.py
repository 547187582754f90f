"""The Graph API client that reads a lead's answers (the webhook carries only its id).

Kept tiny and standard-library only; tests point `graph_url` at a local fake server.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from .settings import MetaLeadAdsSettings

# The lead's own fields; `field_data` holds the form's answers.
LEAD_FIELDS = "id,created_time,ad_id,ad_name,campaign_name,form_id,platform,field_data"


class GraphError(Exception):
    """The lead could not be read now (network, Meta's side, token): try again later."""


class GraphClient:
    def __init__(self, *, base_url: str, version: str, access_token: str, timeout: float):
        self.base_url = base_url.rstrip("/")
        self.version = version
        self.access_token = access_token
        self.timeout = timeout

    @classmethod
    def for_settings(cls, settings: MetaLeadAdsSettings) -> GraphClient:
        return cls(
            base_url=settings.graph_url,
            version=settings.graph_version,
            access_token=settings.page_access_token,
            timeout=settings.graph_timeout_seconds,
        )

    def lead(self, leadgen_id: str) -> dict[str, Any]:
        query = urllib.parse.urlencode({"access_token": self.access_token, "fields": LEAD_FIELDS})
        url = f"{self.base_url}/{self.version}/{urllib.parse.quote(leadgen_id)}?{query}"
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            raise GraphError(f"Graph API answered {exc.code}: {_graph_message(exc)}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise GraphError(f"Graph API not reachable: {exc}") from exc
        try:
            lead = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GraphError("Graph API answered something that is not JSON") from exc
        if not isinstance(lead, dict):
            raise GraphError("Graph API answered something that is not a JSON object")
        return lead


def _graph_message(exc: urllib.error.HTTPError) -> str:
    # Graph errors are {"error": {"message": ..., "code": ...}}; never echo the URL (token).
    try:
        error = json.loads(exc.read()).get("error", {})
        return str(error.get("message", ""))[:300] or exc.reason
    except (ValueError, AttributeError, OSError):
        return str(exc.reason)
