"""Notify's delivery-receipt callback, support's outbox pages and people's reminder preferences."""

import hmac
import json
import uuid

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from schooltech.accounts import policy
from schooltech.core.pagination import page_of
from schooltech.notifications import selectors, services
from schooltech.notifications.forms import OutboxFilterForm, PreferencesForm
from schooltech.notifications.models import OutboxMessage

PAGE_SIZE = 50


def _bearer_token_is_valid(request: HttpRequest) -> bool:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    expected = settings.NOTIFY_CALLBACK_BEARER_TOKEN
    return scheme.lower() == "bearer" and bool(expected) and hmac.compare_digest(token.encode(), expected.encode())


def _receipt_from(body: object) -> services.Receipt:
    if not isinstance(body, dict):
        raise services.ReceiptError("Send a JSON object")
    try:
        notify_id = str(uuid.UUID(str(body.get("id"))))
    except ValueError:
        raise services.ReceiptError("id must be a Notify notification id") from None
    completed_at = parse_datetime(body["completed_at"]) if isinstance(body.get("completed_at"), str) else None
    if completed_at is not None and timezone.is_naive(completed_at):
        completed_at = timezone.make_aware(completed_at, timezone.UTC)
    reference = body.get("reference")
    return services.Receipt(
        notify_id=notify_id,
        reference=reference if isinstance(reference, str) else None,
        status=str(body.get("status", "")),
        completed_at=completed_at,
    )


@policy.public  # authenticated by Notify's bearer token rather than a session
@csrf_exempt
@require_POST
def notify_callback(request: HttpRequest) -> JsonResponse:
    if not _bearer_token_is_valid(request):
        return JsonResponse({"error": "Unauthorised"}, status=401)
    try:
        receipt = _receipt_from(json.loads(request.body))
        message = services.receipt_record(receipt=receipt)
    except (ValueError, services.ReceiptError) as error:
        return JsonResponse({"error": str(error)}, status=400)
    except OutboxMessage.DoesNotExist:
        return JsonResponse({"error": "No message with that id or reference"}, status=404)
    return JsonResponse({"id": str(message.notify_id), "status": message.status})


@policy.staff_only
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    form = OutboxFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    found = selectors.outbox_list(
        status=filters.get("status", ""), template_key=filters.get("template", ""), email=filters.get("email", "")
    )
    page = page_of(found, request, PAGE_SIZE)
    return render(request, "notifications/outbox.html", {"form": form, "page": page})


@policy.staff_only
@require_GET
def outbox_message(request: HttpRequest, message_id: int) -> HttpResponse:
    message = get_object_or_404(OutboxMessage, pk=message_id)
    return render(request, "notifications/message.html", {"message": message})


@policy.staff_only
@require_POST
def outbox_message_retry(request: HttpRequest, message_id: int) -> HttpResponse:
    get_object_or_404(OutboxMessage, pk=message_id)
    try:
        services.outbox_message_retry(message_id=message_id)
    except services.RetryNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The email will be sent again")
    return redirect("notifications:message", message_id=message_id)


@policy.signed_in
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PreferencesForm(request.POST, user=request.user)
        if form.is_valid():
            services.preferences_update(user=request.user, choices=form.cleaned_data)
            messages.success(request, "Your email preferences have been saved")
            return redirect("notifications:preferences")
    else:
        form = PreferencesForm(initial=selectors.preferences_for(user=request.user), user=request.user)
    return render(request, "notifications/preferences.html", {"form": form})
