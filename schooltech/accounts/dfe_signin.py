"""Gateway to the DfE Sign-in public API: the only module that talks to it.

DfE Sign-in gives a service's roles through its public API, not in the ID token. Requests carry a
bearer JWT signed HS256 with the service's API secret (`iss` = the service's client id, `aud` =
signin.education.gov.uk). `gateway()` returns the HTTP client, or the in-repo fake when
DFE_SIGNIN_API_URL is "fake" (tests and local runs).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar, Protocol

import jwt
import requests
from django.conf import settings


class DfeSignInError(Exception):
    """The public API could not answer."""


@dataclass(frozen=True)
class ServiceRole:
    id: str
    name: str
    code: str
    numeric_id: str = ""


class DfeSignInGateway(Protocol):
    def user_roles(self, *, user_id: str, organisation_id: str) -> list[ServiceRole]: ...


class HttpDfeSignInGateway:
    def __init__(self, *, base_url: str, service_id: str, client_id: str, secret: str, audience: str, timeout: int):
        self.base_url = base_url.rstrip("/")
        self.service_id = service_id
        self.client_id = client_id
        self.secret = secret
        self.audience = audience
        self.timeout = timeout

    def bearer_token(self) -> str:
        now = int(time.time())
        claims = {"iss": self.client_id, "aud": self.audience, "iat": now, "exp": now + 60}
        return jwt.encode(claims, self.secret, algorithm="HS256")

    def user_roles(self, *, user_id: str, organisation_id: str) -> list[ServiceRole]:
        """The user's roles in this service for one organisation ([] if they have none)."""
        url = f"{self.base_url}/services/{self.service_id}/organisations/{organisation_id}/users/{user_id}"
        try:
            response = requests.get(
                url, headers={"Authorization": f"Bearer {self.bearer_token()}"}, timeout=self.timeout
            )
        except requests.RequestException as error:
            raise DfeSignInError(f"DfE Sign-in public API unreachable: {error}") from error
        if response.status_code == 404:
            return []
        if response.status_code != 200:
            raise DfeSignInError(f"DfE Sign-in public API answered {response.status_code}")
        return [
            ServiceRole(
                id=str(role.get("id", "")),
                name=str(role.get("name", "")),
                code=str(role.get("code", "")),
                numeric_id=str(role.get("numericId", "")),
            )
            for role in response.json().get("roles", [])
        ]


class FakeDfeSignInGateway:
    """In-memory stand-in: tests and the demo grant roles with `grant`."""

    roles: ClassVar[dict[tuple[str, str], list[ServiceRole]]] = {}

    @classmethod
    def grant(cls, *, user_id: str, organisation_id: str, codes: list[str]) -> None:
        cls.roles[(user_id, organisation_id)] = [ServiceRole(id=code, name=code, code=code) for code in codes]

    @classmethod
    def reset(cls) -> None:
        cls.roles.clear()

    def user_roles(self, *, user_id: str, organisation_id: str) -> list[ServiceRole]:
        return list(self.roles.get((user_id, organisation_id), []))


def gateway() -> DfeSignInGateway:
    if settings.DFE_SIGNIN_API_URL == "fake":
        return FakeDfeSignInGateway()
    return HttpDfeSignInGateway(
        base_url=settings.DFE_SIGNIN_API_URL,
        service_id=settings.DFE_SIGNIN_SERVICE_ID,
        client_id=settings.OIDC_RP_CLIENT_ID,
        secret=settings.DFE_SIGNIN_API_SECRET,
        audience=settings.DFE_SIGNIN_AUDIENCE,
        timeout=settings.OIDC_TIMEOUT,
    )
