"""The support role's permissions in the Django admin: one group, "Support", kept in step with
`SUPPORT_PERMISSIONS` after every `migrate` (`AccountsConfig.ready` connects `support_group_sync`).

Support staff (`is_staff`) answer access requests, check emails and the audit trail, and give the
department roles; they do not change schools' registers, organisations from GIAS or other people's
accounts. Why each permission is here: docs/architecture-accounts.md#support-in-the-admin.
"""

from __future__ import annotations

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

SUPPORT_GROUP = "Support"

SUPPORT_PERMISSIONS: dict[str, tuple[str, ...]] = {
    # People and their access: see everything; give, change and remove memberships (the
    # department roles, an organisation left without an approver). Decisions on access requests
    # and invitations are made on the support pages, through the services, so view only here.
    "accounts": (
        "view_membership",
        "add_membership",
        "change_membership",
        "delete_membership",
        "view_accessrequest",
        "view_invitation",
        "view_oidcidentity",
        "view_apikey",
    ),
    # Who is who; never change_user (it would reach is_superuser, groups and permissions).
    "auth": ("view_user",),
    # Organisations come from GIAS (manage.py import_gias): look, do not edit.
    "organisations": ("view_establishment", "view_group", "view_localauthority"),
    # The reference data behind questions and plans, to answer "why did the plan say this".
    "standards": ("view_catalogueversion", "view_standard", "view_question", "view_duty"),
    "planning": ("view_buyingroute", "view_unitprice"),
    # Peer support between schools, to answer "why can't we find a school" or "nobody answered".
    "peer": ("view_offer", "view_topic", "view_helprequest"),
    # Pages shared by email: who sent what to whom (the outbox holds the emails themselves).
    "notifications": ("view_share",),
}


def support_permissions() -> list[Permission]:
    query = Q(pk__in=[])
    for app_label, codenames in SUPPORT_PERMISSIONS.items():
        query |= Q(content_type__app_label=app_label, codename__in=codenames)
    return list(Permission.objects.filter(query))


@transaction.atomic
def support_group_sync(**kwargs) -> Group:
    """The Support group with exactly SUPPORT_PERMISSIONS (a post_migrate receiver; safe to run again)."""
    for app_config in global_apps.get_app_configs():  # permissions of apps migrated after this one
        create_permissions(app_config, verbosity=0, using=kwargs.get("using", "default"))
    group, _ = Group.objects.get_or_create(name=SUPPORT_GROUP)
    group.permissions.set(support_permissions())
    return group


def support_member_ensure(user) -> None:
    """Support staff (is_staff, not superusers) belong to the Support group."""
    if user.is_staff and not user.is_superuser:
        group = Group.objects.filter(name=SUPPORT_GROUP).first() or support_group_sync()
        user.groups.add(group)
