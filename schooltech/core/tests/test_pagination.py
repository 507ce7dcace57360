from django.core.paginator import Paginator
from django.test import RequestFactory

from schooltech.core.pagination import govuk_pagination, page_of


def _page(request, count: int = 500, per_page: int = 10):
    return page_of(list(range(count)), request, per_page)


def test_every_link_keeps_the_filters_and_sort_but_not_blank_fields():
    request = RequestFactory().get(
        "/schools/1/estate/assets/", {"status": "in_use", "q": "", "sort": "-name", "page": "3"}
    )
    params = govuk_pagination(_page(request), request)
    assert params["previous"]["href"] == "/schools/1/estate/assets/?status=in_use&sort=-name&page=2"
    assert params["next"]["href"] == "/schools/1/estate/assets/?status=in_use&sort=-name&page=4"
    assert {
        "number": 3,
        "href": "/schools/1/estate/assets/?status=in_use&sort=-name&page=3",
        "current": True,
    } in params["items"]


def test_long_runs_of_pages_are_elided():
    request = RequestFactory().get("/x", {"page": "25"})
    items = govuk_pagination(_page(request), request)["items"]
    assert [item.get("number", "…") for item in items] == [1, "…", 24, 25, 26, "…", 50]


def test_first_and_last_pages_have_no_previous_or_next():
    first = RequestFactory().get("/x")
    last = RequestFactory().get("/x", {"page": "50"})
    assert govuk_pagination(_page(first), first)["previous"] is None
    assert govuk_pagination(_page(last), last)["next"] is None


def test_nothing_when_everything_fits_on_one_page():
    request = RequestFactory().get("/x")
    assert govuk_pagination(_page(request, count=10), request) is None


def test_a_wrong_page_number_gives_the_nearest_page():
    assert page_of(list(range(30)), RequestFactory().get("/x", {"page": "999"}), 10).number == 3
    assert page_of(list(range(30)), RequestFactory().get("/x", {"page": "two"}), 10).number == 1
    assert Paginator([], 10).get_page(None).number == 1
