"""Find a school: the word-prefix token index, how it is kept up to date, and searching it."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from schooltech.organisations import selectors, services
from schooltech.organisations.models import Establishment, EstablishmentSearchToken
from schooltech.organisations.search_text import establishment_tokens, normalised_words, query_words
from schooltech.organisations.tests.fixtures.gias_files import SAMPLE_PATH, write_sample
from tests.factories import EstablishmentFactory


def names(results) -> list[str]:
    return [establishment.name for establishment in results[0:100]]


def tokens_of(establishment: Establishment) -> set[str]:
    return set(EstablishmentSearchToken.objects.filter(establishment=establishment).values_list("token", flat=True))


# Tokenisation


def test_words_are_lower_cased_without_apostrophes_or_accents():
    assert normalised_words("St Mary's C.E. (Aided)") == ["st", "marys", "c", "e", "aided"]
    assert normalised_words("St Mary’s Ysgol Gymraeg Bro Ŵyr, Châtelet") == [
        "st",
        "marys",
        "ysgol",
        "gymraeg",
        "bro",
        "wyr",
        "chatelet",
    ]
    assert normalised_words("Stoke-on-Trent & District") == ["stoke", "on", "trent", "district"]
    assert normalised_words("ÆTHELSTAN straße") == ["aethelstan", "strasse"]


def test_tokens_hold_name_and_town_words_postcode_parts_urn_and_ukprn():
    tokens = establishment_tokens(
        name="St Mary's Kilburn", town="London", postcode="NW6 4PG", urn="100042", ukprn="10012345"
    )

    assert tokens == {"st", "marys", "kilburn", "london", "nw6", "4pg", "nw64pg", "100042", "10012345"}


def test_a_postcode_held_without_its_space_still_gives_both_halves():
    tokens = establishment_tokens(name="", town="", postcode="ec3a5de", urn="1", ukprn="")

    assert {"ec3a", "5de", "ec3a5de"} <= tokens


def test_query_words_are_normalised_the_same_way_and_deduplicated():
    assert query_words("  ST. MARY'S  st ") == ["st", "marys"]
    assert query_words("'-") == []


# Searching


@pytest.fixture
def camden_schools(db):
    return {
        "haverstock": EstablishmentFactory(
            urn="100049", ukprn="10013087", name="Haverstock School", town="London", postcode="NW3 2BQ"
        ),
        "st_marys": EstablishmentFactory(
            urn="100042", name="St Mary's Kilburn Church of England Primary School", town="London", postcode="NW6 4PG"
        ),
        "st_margarets": EstablishmentFactory(urn="100043", name="St Margaret's School", town="Hampstead"),
        "closed": EstablishmentFactory(
            urn="100057",
            name="St Richard of Chichester School",
            town="London",
            postcode="NW1 9SL",
            status=Establishment.Status.CLOSED,
        ),
        "proposed_to_close": EstablishmentFactory(
            urn="100050", name="Hampstead School", town="London", status=Establishment.Status.OPEN_PROPOSED_TO_CLOSE
        ),
    }


def test_finds_by_the_start_of_any_word_in_any_case(camden_schools):
    assert names(selectors.establishment_search(query="HAVER")) == ["Haverstock School"]
    assert names(selectors.establishment_search(query="kilb")) == [camden_schools["st_marys"].name]
    assert names(selectors.establishment_search(query="hampst")) == ["Hampstead School", "St Margaret's School"]
    assert names(selectors.establishment_search(query="averstock")) == []  # prefixes, not any substring


def test_every_word_must_match(camden_schools):
    assert names(selectors.establishment_search(query="st mar")) == [
        "St Margaret's School",
        camden_schools["st_marys"].name,
    ]
    assert names(selectors.establishment_search(query="st mary's")) == [camden_schools["st_marys"].name]
    assert names(selectors.establishment_search(query="marys london")) == [camden_schools["st_marys"].name]
    assert names(selectors.establishment_search(query="haverstock kilburn")) == []


def test_finds_by_postcode_with_or_without_its_space(camden_schools):
    for query in ("NW3 2BQ", "nw32bq", "NW32 BQ", "nw3", "NW3 2B"):
        assert names(selectors.establishment_search(query=query)) == ["Haverstock School"], query


def test_finds_by_whole_urn_or_ukprn_only(camden_schools):
    assert names(selectors.establishment_search(query="100049")) == ["Haverstock School"]
    assert names(selectors.establishment_search(query="10013087")) == ["Haverstock School"]
    assert names(selectors.establishment_search(query="10004")) == []
    assert names(selectors.establishment_search(query="100049 haverstock")) == ["Haverstock School"]


def test_leaves_out_closed_establishments_unless_asked(camden_schools):
    assert names(selectors.establishment_search(query="chichester")) == []
    assert names(selectors.establishment_search(query="london nw1")) == []
    assert names(selectors.establishment_search(query="chichester", include_closed=True)) == [
        "St Richard of Chichester School"
    ]
    # "Open, but proposed to close" is still open
    assert names(selectors.establishment_search(query="hampstead school")) == [
        "Hampstead School",
        "St Margaret's School",
    ]


def test_a_query_of_punctuation_alone_finds_nothing(camden_schools):
    results = selectors.establishment_search(query="' - ")

    assert results.count() == 0
    assert results[0:20] == []


def test_results_are_in_name_order_then_urn_and_paginated_with_a_count(db):
    EstablishmentFactory(urn="200001", name="Zebra Primary School")
    for number in range(45):
        EstablishmentFactory(urn=f"{300100 - number}", name=f"Primary School {number:02d}")
    EstablishmentFactory(urn="300000", name="Primary School 00")  # same name: the lower URN comes first
    EstablishmentFactory(urn="200002", name="Apple Infant School")

    first = selectors.establishment_search_page(query="primary school", include_closed=False, page_number=1)
    third = selectors.establishment_search_page(query="primary school", include_closed=False, page_number=3)

    assert first.paginator.count == 47
    assert first.paginator.num_pages == 3
    assert [(e.name, e.urn) for e in first.object_list[:3]] == [
        ("Primary School 00", "300000"),
        ("Primary School 00", "300100"),
        ("Primary School 01", "300099"),
    ]
    assert [e.name for e in third.object_list] == [f"Primary School {n}" for n in range(39, 45)] + [
        "Zebra Primary School"
    ]


def test_every_query_plan_gives_the_same_pages(db, monkeypatch):
    for number in range(30):
        EstablishmentFactory(name=f"{'Alpha' if number % 3 else 'Beta'} Academy {number:02d}")
    listed = selectors.establishment_search(query="academy")
    assert listed._small_id_set is not None
    pages = [listed[start : start + 7] for start in range(0, 35, 7)]
    assert sum(len(page) for page in pages) == 30

    monkeypatch.setattr(selectors, "ID_LIST_LIMIT", 5)
    monkeypatch.setattr(selectors, "APPROXIMATE_REGISTER_SIZE", 1)  # always walk the name index
    walked = selectors.establishment_search(query="academy")
    assert walked._small_id_set is None and walked._walking_names_is_cheaper(7)
    assert walked.count() == 30
    assert [walked[start : start + 7] for start in range(0, 35, 7)] == pages

    monkeypatch.setattr(selectors, "APPROXIMATE_REGISTER_SIZE", 10**9)  # always a sub-query of ids
    fetched = selectors.establishment_search(query="academy")
    assert not fetched._walking_names_is_cheaper(7)
    assert fetched.count() == 30
    assert [fetched[start : start + 7] for start in range(0, 35, 7)] == pages


def test_a_postcode_split_in_the_wrong_place_is_counted_once_in_every_plan(camden_schools, monkeypatch):
    assert selectors.establishment_search(query="NW3 2BQ").count() == 1
    monkeypatch.setattr(selectors, "ID_LIST_LIMIT", 0)

    results = selectors.establishment_search(query="NW3 2BQ")

    assert results.count() == 1
    assert [e.name for e in results[0:20]] == ["Haverstock School"]


def test_a_page_of_results_costs_a_fixed_number_of_queries(camden_schools):
    with CaptureQueriesContext(connection) as queries:
        page = selectors.establishment_search_page(query="st mary", include_closed=False, page_number=1)
        list(page.object_list)

    # two word estimates, the matching ids (which give the count), the page with its local authorities
    assert len(queries) == 4


def test_the_search_page_lists_matches_and_their_count(client, camden_schools):
    response = client.get(reverse("organisations:search"), {"q": "Hampstead"})

    content = response.content.decode()
    assert "2 results for ‘Hampstead’" in content
    assert content.index("Hampstead School") < content.index("St Margaret&#39;s School")
    assert "Haverstock" not in content


# Keeping the index up to date


def test_saving_an_establishment_through_the_orm_refreshes_its_tokens(db):
    school = EstablishmentFactory(name="Old Name School", postcode="NW3 2BQ")
    assert {"old", "name", "school", "nw3", "2bq"} <= tokens_of(school)

    school.name = "New Name Academy"
    school.save()

    assert "old" not in tokens_of(school)
    assert {"new", "academy"} <= tokens_of(school)


def test_closing_an_establishment_takes_it_out_of_open_only_search(db):
    school = EstablishmentFactory(name="Closing Soon School")
    school.status = Establishment.Status.CLOSED
    school.save(update_fields=["status"])

    assert names(selectors.establishment_search(query="closing")) == []
    assert names(selectors.establishment_search(query="closing", include_closed=True)) == ["Closing Soon School"]


def import_gias(path) -> str:
    out = StringIO()
    call_command("import_gias", str(path), no_progress=True, force=True, stdout=out)
    return out.getvalue()


def test_the_first_import_builds_every_token(db):
    import_gias(SAMPLE_PATH)

    aldgate = Establishment.objects.get(urn="100000")
    assert tokens_of(aldgate) == {"the", "aldgate", "school", "london", "ec3a", "5de", "ec3a5de", "100000", "10079319"}
    assert set(EstablishmentSearchToken.objects.values_list("establishment_id", flat=True)) == set(
        Establishment.objects.values_list("id", flat=True)
    )


def test_an_import_that_renames_a_school_or_changes_a_postcode_refreshes_only_those_tokens(db, tmp_path):
    import_gias(SAMPLE_PATH)
    untouched = {
        row[0]: row[1:]
        for row in EstablishmentSearchToken.objects.exclude(establishment__urn__in=["100000", "100001"]).values_list(
            "id", "establishment_id", "token", "is_open"
        )
    }
    changed = write_sample(
        tmp_path / "edubasealldata20240301.csv",
        changes={
            ("100000", "EstablishmentName"): "The Portsoken School",
            ("100001", "Postcode"): "EC1A 1BB",
            ("100002", "NumberOfPupils"): "999",  # not searchable: no token work
        },
    )

    import_gias(changed)

    assert names(selectors.establishment_search(query="portsoken")) == ["The Portsoken School"]
    assert names(selectors.establishment_search(query="aldgate")) == []
    assert [e.urn for e in selectors.establishment_search(query="EC1A 1BB")[0:5]] == ["100001"]
    assert {
        row[0]: row[1:]
        for row in EstablishmentSearchToken.objects.exclude(establishment__urn__in=["100000", "100001"]).values_list(
            "id", "establishment_id", "token", "is_open"
        )
    } == untouched


def test_an_unchanged_re_import_does_no_token_work(db):
    import_gias(SAMPLE_PATH)
    before = list(EstablishmentSearchToken.objects.order_by("id").values_list("id", "establishment_id", "token"))

    with CaptureQueriesContext(connection) as queries:
        import_gias(SAMPLE_PATH)

    assert not [query for query in queries if "searchtoken" in query["sql"].lower()]
    assert list(EstablishmentSearchToken.objects.order_by("id").values_list("id", "establishment_id", "token")) == (
        before
    )


def test_an_import_that_closes_a_school_marks_its_tokens_closed(db, tmp_path):
    import_gias(SAMPLE_PATH)
    closed = write_sample(
        tmp_path / "edubasealldata20240301.csv",
        changes={("100000", "EstablishmentStatus (code)"): "2", ("100000", "CloseDate"): "31-03-2024"},
    )

    import_gias(closed)

    assert names(selectors.establishment_search(query="aldgate")) == []
    assert names(selectors.establishment_search(query="aldgate", include_closed=True)) == ["The Aldgate School"]


def test_a_rebuild_recreates_every_token_and_refresh_ignores_unknown_ids(db):
    school = EstablishmentFactory(name="Rebuilt School", urn="123456")
    EstablishmentSearchToken.objects.all().delete()

    written = services.establishment_search_tokens_rebuild()

    assert written == len(tokens_of(school)) > 0
    assert services.establishment_search_tokens_refresh(establishment_ids=[school.pk + 1000]) == 0
    assert names(selectors.establishment_search(query="rebuilt")) == ["Rebuilt School"]
