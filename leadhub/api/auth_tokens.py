"""POST /api/v1/auth/token: exchange a username and password for a personal API token."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Status

from leadhub.orgs.tokens import issue_token

from .schemas import ErrorOut, TokenIn, TokenOut

router = Router(tags=["auth"])


@router.post("/token", response={200: TokenOut, 401: ErrorOut}, summary="Get an API token")
def token(request: HttpRequest, credentials: TokenIn) -> Status[dict[str, str]]:
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if user is None:
        return Status(401, {"detail": "Wrong username or password."})
    return Status(200, {"token": issue_token(user)})
