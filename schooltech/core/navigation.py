"""The service navigation: one list, so every app adds its section here."""

from django.http import HttpRequest
from django.urls import reverse

# (label, url name, path prefixes that mark the item as current)
SECTIONS = [
    ("Find a school", "organisations:search", ("/schools", "/trusts", "/local-authorities")),
]


def navigation_items(request: HttpRequest) -> list[dict]:
    return [
        {"href": reverse(url_name), "text": label, "active": request.path.startswith(prefixes)}
        for label, url_name, prefixes in SECTIONS
    ]
