import datetime
import zoneinfo

import pytest

from schooltech.core.dates import govuk_date, govuk_date_time, govuk_month, govuk_time
from schooltech.jinja2 import environment

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_a_date_has_no_leading_zero_and_the_month_in_full():
    assert govuk_date(datetime.date(2027, 3, 1)) == "1 March 2027"
    assert govuk_month(datetime.date(2027, 3, 1)) == "March 2027"


def test_a_missing_date_says_so():
    assert govuk_date(None) == "Not known"
    assert govuk_date(None, "Not yet") == "Not yet"


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [(15, 5, "3:05pm"), (11, 0, "11am"), (12, 0, "midday"), (0, 0, "midnight"), (0, 30, "12:30am")],
)
def test_times_follow_the_govuk_style(hour, minute, expected):
    assert govuk_time(datetime.time(hour, minute)) == expected


@pytest.mark.django_db
def test_a_moment_is_shown_in_uk_time(settings):
    settings.TIME_ZONE = "Europe/London"
    summer_utc = datetime.datetime(2026, 7, 1, 14, 5, tzinfo=datetime.UTC)
    assert govuk_date_time(summer_utc) == "1 July 2026 at 3:05pm"
    assert govuk_date_time(summer_utc, joiner=", ") == "1 July 2026, 3:05pm"
    assert govuk_date_time(None, empty="Not yet") == "Not yet"


def test_the_jinja_filters_use_the_same_formatter():
    env = environment(loader=None)
    rendered = env.from_string("{{ day|govuk_date }} / {{ none|govuk_date_time('Not yet') }}").render(
        day=datetime.date(2026, 1, 9), none=None
    )
    assert rendered == "9 January 2026 / Not yet"
