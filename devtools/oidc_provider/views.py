"""The provider's sign-in page, rate-limited: after SIGN_IN_MAX_FAILURES failures for a username or
an address within the window, it answers 429 until the window passes. Wrong password and unknown
email get the same message, so the page does not tell who has an account."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.shortcuts import render

GENERIC_ERROR = "Enter a correct email address and password"


def _keys(request) -> list[str]:
    username = request.POST.get("username", "").strip().lower()
    return [f"signin-fail:user:{username}", f"signin-fail:ip:{request.META.get('REMOTE_ADDR', '')}"]


def _blocked(request) -> bool:
    return any(cache.get(key, 0) >= settings.SIGN_IN_MAX_FAILURES for key in _keys(request))


def _count_failure(request) -> None:
    for key in _keys(request):
        cache.add(key, 0, settings.SIGN_IN_WINDOW_SECONDS)
        cache.incr(key)


class RateLimitedLoginView(auth_views.LoginView):
    template_name = "login.html"

    def post(self, request, *args, **kwargs):
        if _blocked(request):
            return render(request, "rate_limited.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        _count_failure(self.request)
        return super().form_invalid(form)
