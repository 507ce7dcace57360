"""The training catalogue is data: the shipped file loads, is checked, and keeps support's corrections."""

import pytest
from django.core.management import call_command

from schooltech.training import catalogue, selectors, services
from schooltech.training.models import Audience, Course, DutyCoverage

pytestmark = pytest.mark.django_db


def test_the_shipped_file_loads_every_course_with_known_requirements(catalogues):
    assert catalogues.added >= 15
    ncsc = Course.objects.get(key="ncsc-staff-cyber-training")
    assert ncsc.cost == "free" and "governors" in ncsc.audiences
    assert "cyber_security.awareness" in ncsc.requirements and ncsc.duties == ["cyber_training"]
    assert DutyCoverage.objects.get(duty_key="cyber_training").audiences == [Audience.ALL_STAFF, Audience.GOVERNORS]
    titles = selectors.requirement_titles()
    for course in Course.objects.all():
        assert all(key in titles for key in course.requirements), course.key
        assert course.url.startswith("https://")


def test_loading_again_changes_nothing(catalogues):
    again = services.catalogue_load()
    assert (again.added, again.updated, again.retired) == (0, 0, 0)


def test_the_command_loads_it(db, capsys):
    call_command("load_standards")
    call_command("load_training")
    assert "added" in capsys.readouterr().out
    assert Course.objects.filter(is_active=True).count() >= 15


def test_support_corrections_survive_a_reload_and_file_changes_apply_to_the_rest(catalogues):
    course = Course.objects.get(key="kcsie")
    services.course_update(course=course, values={"title": "KCSIE (support's title)"}, user=None)
    other = Course.objects.get(key="police-cyberalarm")
    other.title = "Changed by hand in the database"
    other.save()
    result = services.catalogue_load()
    assert Course.objects.get(key="kcsie").title == "KCSIE (support's title)"
    assert Course.objects.get(key="police-cyberalarm").title == "Police CyberAlarm"
    assert result.kept == 1 and result.updated == 1


def _write(tmp_path, text):
    path = tmp_path / "catalogue.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD_COURSE = """
  - key: a-course
    title: A course
    provider: Someone
    url: https://example.org/course
    format: guidance
    cost: free
    summary: Useful.
    audiences: [governors]
    requirements: [cyber_security.awareness]
    duties: []
"""


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("cyber_security.awareness", "cyber_security.nonsense"), "unknown requirements"),
        (("audiences: [governors]", "audiences: [parents]"), "audiences must be"),
        (("https://example.org/course", "http://example.org/course"), "https://"),
        (("format: guidance", "format: podcast"), "format must be"),
        (("cost: free", "cost: cheap"), "cost must be"),
        (("duties: []", "duties: [cyber_training]"), "not listed under duties"),
        (("key: a-course", "key: 'a course!'"), "key of letters"),
        (("title: A course", "title: [1, 2]"), "title must be text"),
    ],
)
def test_a_bad_file_is_refused_whole_naming_the_course_and_problem(catalogues, tmp_path, change, problem):
    before = Course.objects.count()
    text = "version: x\ncourses:" + GOOD_COURSE.replace(*change)
    with pytest.raises(catalogue.CatalogueError, match=problem):
        services.catalogue_load(path=_write(tmp_path, text))
    assert Course.objects.count() == before


def test_a_duty_not_in_the_standards_is_refused(catalogues, tmp_path):
    text = "version: x\nduties:\n  - duty: made_up\n    name: X\n    audiences: [governors]\ncourses:" + GOOD_COURSE
    with pytest.raises(catalogue.CatalogueError, match="not a duty"):
        services.catalogue_load(path=_write(tmp_path, text))


def test_not_yaml_is_refused(catalogues, tmp_path):
    with pytest.raises(catalogue.CatalogueError):
        services.catalogue_load(path=_write(tmp_path, "version: [unclosed"))


def test_courses_left_out_of_the_file_are_retired_not_deleted(catalogues, tmp_path):
    result = services.catalogue_load(path=_write(tmp_path, "version: y\ncourses:" + GOOD_COURSE))
    assert result.added == 1 and result.retired >= 15
    assert Course.objects.get(key="kcsie").is_active is False
    assert [course.key for course in selectors.courses()] == ["a-course"]


def test_filters(catalogues):
    governors = selectors.courses(audience="governors")
    assert governors and all("governors" in course.audiences for course in governors)
    paid = selectors.courses(cost="paid")
    assert [course.key for course in paid] == ["cyber-essentials"]
    filtering = selectors.courses(standard="filtering_monitoring")
    assert {"dfe-filtering-monitoring-standards", "swgfl-test-filtering"} <= {c.key for c in filtering}
