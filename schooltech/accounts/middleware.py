"""Session timeouts without a database write on every request.

Idle timeout: the session keeps when it was last refreshed, and that stamp (with the session's
stored expiry and the cookie's age) is renewed only once it is older than a tenth of the idle
timeout. A signed-in page view therefore writes the session at most once every few minutes, not on
every request, and a person is signed out between 90% and 100% of the idle timeout after their last
request, never later.

Absolute timeout: a session ends a fixed time after sign-in however busy it is, as the NCSC and
DfE Sign-in do.
"""

import time

from django.conf import settings
from django.contrib.auth import logout, user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver

SIGNED_IN_AT = "accounts_signed_in_at"
LAST_REFRESHED_AT = "accounts_last_refreshed_at"
REFRESH_FRACTION = 0.1


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if _timed_out(request.session, now):
                logout(request)
                return redirect_to_login(request.get_full_path())
            _refresh_when_stale(request.session, now)
        return self.get_response(request)


def _timed_out(session, now: int) -> bool:
    signed_in_at = session.setdefault(SIGNED_IN_AT, now)
    last_refreshed_at = session.get(LAST_REFRESHED_AT, now)
    return (
        now - signed_in_at > settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS
        or now - last_refreshed_at > settings.SESSION_IDLE_TIMEOUT_SECONDS
    )


def _refresh_when_stale(session, now: int) -> None:
    """Changing the stamp marks the session modified, so Django saves it with a new expiry."""
    last_refreshed_at = session.get(LAST_REFRESHED_AT, 0)
    if now - last_refreshed_at >= settings.SESSION_IDLE_TIMEOUT_SECONDS * REFRESH_FRACTION:
        session[LAST_REFRESHED_AT] = now


@receiver(user_logged_in, dispatch_uid="accounts_stamp_session_at_sign_in")
def _stamp_session_at_sign_in(sender, request, user, **kwargs):
    """Signing in saves the session anyway, so the first page after it needs no write."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[LAST_REFRESHED_AT] = now
