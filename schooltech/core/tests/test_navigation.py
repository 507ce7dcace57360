import pytest
from django.contrib.auth.models import AnonymousUser

from schooltech.core.navigation import navigation_items


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/schools", "Find a school"),
        ("/schools/100049", "Find a school"),
        ("/trusts/5001", "Find a school"),
        ("/local-authorities/202", "Find a school"),
        ("/standards", "Standards"),
        ("/schools/100049/standards/broadband", "Standards"),
        ("/organisations/trust-5485/standards", "Standards"),
        ("/estate/", "ICT estate"),
        ("/schools/100049/estate/ending-soon", "ICT estate"),
        ("/plan/", "Technology plan"),
        ("/schools/100049/plan/timeline", "Technology plan"),
        ("/plans/trust-5485", "Technology plan"),
        ("/buying-routes/", "Technology plan"),
        ("/national-picture", "National picture"),
        ("/insights/department/areas/england", "National picture"),
        ("/schools/100049/sharing", "National picture"),
        ("/cookies", None),
    ],
)
def test_one_section_is_current_for_each_page(rf, path, current):
    request = rf.get(path)
    request.user = AnonymousUser()
    active = [item["text"] for item in navigation_items(request) if item["active"]]
    assert active == ([current] if current else [])
