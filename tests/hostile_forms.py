"""Post anything to a form page (Hypothesis), as a careless user or an attacker could, and check the
promise every form makes: never a server error; a refusal re-renders the page with the GOV.UK error
summary and writes nothing; an accepted answer redirects or shows the next page.

The fields come from the page itself: every input, select and textarea the GET renders, and for
radios, checkboxes and selects the values it offers, so a test names only the page's address.

    @settings(FORM_PROPERTY)
    @given(data=st.data())
    def test_the_x_form(editor_client, data):
        post_anything(editor_client, "/schools/100000/x", data)
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from html.parser import HTMLParser

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Fixtures are made once per test and the examples share its transaction: each example checks what it wrote.
FORM_PROPERTY = settings(max_examples=20, suppress_health_check=[HealthCheck.function_scoped_fixture])

WORDS = [
    "", " ", "0", "-1", "1e400", "NaN", "inf", "-0", "²", "１２", "99999999999999999999", "3.14159", "1,000",
    "31", "2", "2026", "0001", "9999", "29", "13", "<script>alert(1)</script>", "=HYPERLINK(\"http://x\")",
    "' OR 1=1 --", "\u202e", "\u200b", "true", "on", "None", "null",
]  # fmt: skip
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
hostile_value = st.one_of(
    st.sampled_from(WORDS),
    any_text,
    any_text.map(lambda text: text + "\x00"),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from([200, 1_001, 2_001, 4_001, 5_001, 100_000]).map(lambda size: "x" * size),
)
SKIPPED = {"csrfmiddlewaretoken"}
WRITES = ("INSERT", "UPDATE", "DELETE")


class _Fields(HTMLParser):
    """Every field of the page's forms whose method is POST: its name and the values offered."""

    def __init__(self):
        super().__init__()
        self.options: dict[str, list[str]] = defaultdict(list)
        self._select: str | None = None
        self._in_post_form = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self._in_post_form = (attributes.get("method") or "get").lower() == "post"
        if not self._in_post_form:
            return
        name = attributes.get("name")
        if tag in ("input", "textarea") and name and name not in SKIPPED:
            kind = attributes.get("type", "text")
            if kind in ("radio", "checkbox", "hidden", "submit"):
                self.options[name].append(attributes.get("value", "on"))
            else:
                self.options.setdefault(name, [])
        elif tag == "select" and name:
            self._select = name
            self.options.setdefault(name, [])
        elif tag == "option" and self._select:
            self.options[self._select].append(attributes.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "form":
            self._in_post_form = False


def form_fields(client, url: str) -> dict[str, list[str]]:
    """The page's fields, read once per client and address."""
    cache = client.__dict__.setdefault("_hostile_form_fields", {})
    if url not in cache:
        cache[url] = _read_fields(client, url)
    return cache[url]


def _read_fields(client, url: str) -> dict[str, list[str]]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    parser = _Fields()
    page = response.content.decode()
    assert 'method="post"' in page.lower(), f"{url} has no form to post"
    parser.feed(page)
    return dict(parser.options)  # none for a page that only asks to confirm


@contextmanager
def each_example_alone():
    """Undo what an example wrote, so the next example (and Hypothesis replaying one) starts from the
    same database: a page whose fields depend on earlier answers then offers the same fields each time."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _value(offered: list[str]) -> st.SearchStrategy:
    if offered:
        return st.one_of(st.sampled_from(offered), hostile_value)
    return hostile_value


def _writes(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(WRITES) and "django_session" not in query["sql"]
    ]


def post_anything(client, url: str, data, *, fields: dict[str, list[str]] | None = None):
    """Post a drawn value (or nothing) for each field of the page; check the answer keeps the promise."""
    fields = fields if fields is not None else form_fields(client, url)
    payload = {}
    for name, offered in fields.items():
        if data.draw(st.booleans(), label=f"send {name}"):
            payload[name] = data.draw(_value(offered), label=name)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, payload)
    assert response.status_code in (200, 302, 400), (response.status_code, payload)
    page = response.content.decode() if response.status_code != 302 else ""
    if response.status_code == 400 or "govuk-error-summary" in page:
        assert "There is a problem" in page, payload
        assert not _writes(queries), (payload, _writes(queries))
    return response
