"""Absolute session timeout. The idle timeout is the session cookie's age, renewed on every
request (SESSION_SAVE_EVERY_REQUEST); this ends a session a fixed time after sign-in however
busy it is, as the NCSC and DfE Sign-in do."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

SIGNED_IN_AT = "accounts_signed_in_at"


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, now)
            if now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS:
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)
