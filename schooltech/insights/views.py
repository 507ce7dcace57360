"""Pages of the national picture. Each declares its access through schooltech.accounts.policy."""

from django.contrib import messages
from django.shortcuts import redirect, render

from schooltech.accounts import policy
from schooltech.accounts.models import Role
from schooltech.insights import selectors, services
from schooltech.insights.forms import SharingForm
from schooltech.insights.sharing import CATEGORIES, CATEGORY_KEYS, MINIMUM_CELL, NOTICE_VERSION
from schooltech.organisations.models import Establishment


def _is_approver(user, establishment: Establishment) -> bool:
    """Only the school's own approvers choose what it shares: not a trust or local authority for it."""
    return policy.role_in(user, establishment) == Role.APPROVER


@policy.requires("view", establishment="urn")
def sharing(request, establishment: Establishment):
    may_choose = _is_approver(request.user, establishment)
    current = selectors.current_sharing(establishment=establishment)
    if request.method == "POST":
        if not may_choose:
            return _sharing_page(request, establishment, current, SharingForm(), may_choose, status=403)
        form = SharingForm(request.POST)
        if form.is_valid():
            chosen = set(form.cleaned_data["shared"])
            choice = services.sharing_choose(
                establishment=establishment, user=request.user, **{key: key in chosen for key in CATEGORY_KEYS}
            )
            messages.success(
                request,
                f"Your school now shares: {choice.summary}" if choice.shares_anything else "Your school shares nothing",
            )
            return redirect("insights:sharing", urn=establishment.urn)
        return _sharing_page(request, establishment, current, form, may_choose, status=400)
    initial = {"shared": [key for key in CATEGORY_KEYS if current and getattr(current, key)]}
    return _sharing_page(request, establishment, current, SharingForm(initial=initial), may_choose)


def _sharing_page(request, establishment, current, form, may_choose: bool, status: int = 200):
    context = {
        "establishment": establishment,
        "current": current,
        "history": list(selectors.sharing_history(establishment=establishment)[:50]),
        "form": form,
        "may_choose": may_choose,
        "categories": CATEGORIES,
        "notice_version": NOTICE_VERSION,
        "minimum_cell": MINIMUM_CELL,
    }
    return render(request, "insights/sharing.html", context, status=status)
