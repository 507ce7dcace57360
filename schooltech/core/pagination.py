"""GOV.UK pagination for a Django page of results, keeping the page's filters and sort in every link."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def page_of(items, request: HttpRequest, per_page: int) -> Page:
    """The page of `items` the request asks for; a missing or wrong page number gives the nearest page."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def govuk_pagination(page: Page, request: HttpRequest) -> dict | None:
    """The govukPagination parameters for `page`, or None when everything fits on one page."""
    if page.paginator.num_pages <= 1:
        return None
    kept = [(name, value) for name, values in request.GET.lists() if name != "page" for value in values if value]

    def href(number: int) -> str:
        return f"{request.path}?{urlencode([*kept, ('page', number)])}"

    items = [
        {"ellipsis": True}
        if number == Paginator.ELLIPSIS
        else {"number": number, "href": href(number), "current": number == page.number}
        for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
    ]
    return {
        "previous": {"href": href(page.previous_page_number())} if page.has_previous() else None,
        "next": {"href": href(page.next_page_number())} if page.has_next() else None,
        "items": items,
    }
