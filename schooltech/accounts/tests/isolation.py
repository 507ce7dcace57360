"""Factories the isolation test uses to make another organisation's rows for object-scoped routes.

Convention (docs/architecture-accounts.md): an app whose routes take an object id declared with
`policy.requires(..., objects={"thing_id": Thing})` adds `tests/isolation.py` with
FACTORIES = {Thing: make(organisation) -> a Thing owned by that organisation}. The isolation test
imports every installed app's tests.isolation module.
"""

from schooltech.accounts import services
from schooltech.accounts.models import AccessRequest, ApiKey, Invitation, Membership, Role
from tests.factories import UserFactory, make_access_request, make_invitation, make_membership


def _membership(organisation):
    return make_membership(
        UserFactory(email=f"secret-member-{organisation.pk}@other.example"), organisation, Role.VIEWER
    )


def _access_request(organisation):
    return make_access_request(UserFactory(), organisation, reason=f"SECRET-REASON-{organisation.pk}")


def _invitation(organisation):
    return make_invitation(organisation, f"secret-invite-{organisation.pk}@other.example")


def _api_key(organisation):
    maker = make_membership(UserFactory(), organisation, Role.APPROVER).user
    api_key, _ = services.api_key_create(
        actor=maker, organisation=organisation, name=f"SECRET-KEY-{organisation.pk}", role=Role.EDITOR
    )
    return api_key


FACTORIES = {Membership: _membership, AccessRequest: _access_request, Invitation: _invitation, ApiKey: _api_key}
