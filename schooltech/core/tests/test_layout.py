"""The layout's header, phase banner and footer are rendered once per state and kept, with exactly
the HTML the GOV.UK macros give for that state."""

import pytest
from django.conf import settings
from django.template import engines

from schooltech.accounts.models import Role
from schooltech.core import layout
from schooltech.core.navigation import navigation_items
from tests.factories import EstablishmentFactory, UserFactory, make_membership

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/", "/schools", "/cookies", "/accessibility"]
SIGNED_IN_PAGES = [*PUBLIC_PAGES, "/standards", "/schools/100000/estate/", "/schools/100000/plan/", "/account"]


@pytest.fixture(autouse=True)
def _empty_layout_cache():
    layout.forget_rendered()
    yield
    layout.forget_rendered()


def _uncached(template_name: str, **context) -> str:
    return engines["jinja2"].env.get_template(template_name).render(context)


def _fragments_for(request) -> list[str]:
    return [
        _uncached(layout.HEADER, service_name=settings.SERVICE_NAME, navigation=navigation_items(request)),
        _uncached(layout.PHASE_BANNER, feedback_url=settings.FEEDBACK_URL),
        _uncached(layout.FOOTER),
    ]


def _assert_pages_show_the_uncached_fragments(client, paths: list[str]) -> None:
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        for fragment in _fragments_for(response.wsgi_request):
            assert fragment in response.content.decode(), (path, fragment[:300])


def test_each_state_shows_the_macros_own_html_for_that_state(client):
    school = EstablishmentFactory(urn="100000")
    member = UserFactory()
    make_membership(member, school, Role.VIEWER)
    staff = UserFactory(is_staff=True)
    make_membership(staff, school, Role.APPROVER)
    for _ in range(2):  # the second round is served from the kept fragments
        client.logout()
        _assert_pages_show_the_uncached_fragments(client, PUBLIC_PAGES)
        for user in (member, staff):
            client.force_login(user)
            _assert_pages_show_the_uncached_fragments(client, SIGNED_IN_PAGES)


def test_a_state_is_rendered_once_and_then_kept(client):
    client.get("/cookies")
    kept = dict(layout._rendered)
    assert len(kept) == 3  # header, phase banner, footer
    client.get("/cookies")
    assert layout._rendered == kept
    client.get("/schools")  # another section is current: a new header, the same banner and footer
    assert len(layout._rendered) == 4
