"""Share a page by email: the one share page every app uses (a recommendation, a standard's results,
the plan's summary). The app's view checks access and says what is shared; this handles the form,
the limits and the outbox (`services.share_send`), and records the share.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from schooltech.notifications import selectors, services
from schooltech.notifications.forms import ShareForm


@dataclass(frozen=True)
class SharedItem:
    what: str  # "a recommendation", "the cyber security results", "the technology plan summary"
    title: str
    summary: str  # plain text, the email's body under the title
    path: str  # the shared page in this service (people with access can open it)
    back: str  # where the share page's back link and "Cancel" go, and where it returns after sending


def share_page(request: HttpRequest, *, organisation, item: SharedItem) -> HttpResponse:
    form = ShareForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            share = services.share_send(
                sender=request.user,
                organisation=organisation,
                what=item.what,
                title=item.title,
                summary=item.summary,
                link=item.path,
                recipients=form.cleaned_data["recipients"],
                message=form.cleaned_data["message"],
            )
        except services.ShareError as error:
            form.add_error(None, str(error))
        else:
            count = len(share.recipients)
            messages.success(request, f"Shared with {count} {'person' if count == 1 else 'people'}")
            return redirect(item.back)
    return render(
        request,
        "notifications/share.html",
        {
            "form": form,
            "item": item,
            "organisation": organisation,
            "shared_before": selectors.shares_of(organisation=organisation, link=item.path, limit=10),
        },
    )
