"""Signing a person in for a browser test. The sign-in journey itself is tested in test_accounts.py,
through the local OpenID provider; every other browser test starts with a session cookie."""

from django.conf import settings
from django.test import Client


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
