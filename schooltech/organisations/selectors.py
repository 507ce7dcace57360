"""Reads of GIAS organisations: search, the pages for schools, trusts and local authorities, and the reach
rule (which establishments an organisation looks after)."""

import re
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from schooltech.organisations.models import (
    Establishment,
    EstablishmentLink,
    EstablishmentSearchToken,
    Group,
    LocalAuthority,
)
from schooltech.organisations.reference import Department, Organisation
from schooltech.organisations.search_text import prefix_upper_bound, query_words

SEARCH_PAGE_SIZE = 20
# Roughly how many establishments GIAS lists. Only used to choose the cheaper of two query plans that
# give the same results, so it need not be exact.
APPROXIMATE_REGISTER_SIZE = 50_000
# A multi-word search starts from its rarest word; counting a word's matches stops here.
WORD_ESTIMATE_CAP = 2_000
# Up to this many matches are fetched as a list of ids (counted in Python, the page fetched by id).
# Beyond it, page 1 is cheaper to find by walking the name index: 1,000**2 = 20 * APPROXIMATE_REGISTER_SIZE.
ID_LIST_LIMIT = 1_000
# What a list of results shows (the search page, the access request search). Other fields load on access.
RESULT_FIELDS = ("id", "urn", "name", "status", "town", "postcode", "phase_name")
_FULL_POSTCODE = re.compile(r"[a-z]{1,2}[0-9][a-z0-9]?[0-9][a-z]{2}")

# How search uses the token index (checked with EXPLAIN QUERY PLAN on SQLite 3.40 and EXPLAIN ANALYZE on
# PostgreSQL 15, with the full register of about 49,700 establishments and 450,000 tokens):
#
# - A query word matches a token by prefix as a range, token >= 'mary' AND token < 'marz'. Both databases
#   answer it from the (token, is_open, establishment) index alone: SQLite reports "SEARCH ... USING
#   COVERING INDEX organisations_token_open_idx (token>? AND token<?)", PostgreSQL an Index Only Scan.
#   LIKE 'mary%' (Django's startswith/istartswith) would not: SQLite's LIKE is case-insensitive, so it
#   skips a B-tree index unless the column is COLLATE NOCASE, and PostgreSQL needs text_pattern_ops (or
#   the C collation) for LIKE to use one.
# - A word made only of digits (a URN or UKPRN) must equal a token: 100049 does not find 1000490.
# - Further words are checked per candidate with EXISTS on the unique (establishment, token) index, which
#   SQLite reports as "SEARCH ... USING COVERING INDEX sqlite_autoindex_..._1 (establishment_id=? AND
#   token>? AND token<?)".
# - Up to ID_LIST_LIMIT matches are fetched as one list of ids (index only), which is also the count;
#   the page is then fetched by primary key from that literal list, a plan both databases keep. Before
#   the list, PostgreSQL 15 walked the name index for "st mary" (6,617 rows, 89 ms) and seq-scanned the
#   tokens for a postcode's OR of two groups (450,000 rows, 500 ms).
# - Past that, count() counts the index entries (distinct ids only when the range holds several token
#   values), and page 1 walks the (name, urn) index: SQLite reports "SCAN ... USING INDEX
#   organisations_name_urn_idx" with a correlated subquery per word and reads about 80 rows for the
#   13,000 primary schools. PostgreSQL chooses for itself: an Index Scan on the name index for one
#   word, hash semi-joins and a top-N sort for "church of england" (about 20 ms at load 6).


def _word_match(word: str) -> Q:
    if word.isdigit():
        return Q(token=word)
    return Q(token__gte=word, token__lt=prefix_upper_bound(word))


def _has_word(word: str, establishment: OuterRef) -> Exists:
    return Exists(EstablishmentSearchToken.objects.filter(_word_match(word), establishment_id=establishment))


def _word_estimate(word: str) -> int:
    return EstablishmentSearchToken.objects.filter(_word_match(word))[:WORD_ESTIMATE_CAP].count()


def _query_groups(query: str) -> list[list[str]]:
    """The query's words, plus a postcode typed with its space in the wrong place as one more alternative."""
    words = query_words(query)
    groups = [words] if words else []
    compact = "".join(words)
    if len(words) == 2 and _FULL_POSTCODE.fullmatch(compact):
        groups.append([compact])
    return groups


class EstablishmentSearchResults:
    """Establishments matching a search, in name order, that can be counted and sliced (by Paginator)
    without loading them all.

    An establishment matches when each query word is the start of one of its tokens: words of its name
    or town, its postcode's halves or the whole postcode, its URN or UKPRN (see search_text).
    """

    def __init__(self, *, query: str, include_closed: bool = False) -> None:
        self.query_groups = _query_groups(query)
        self.include_closed = include_closed

    @cached_property
    def groups(self) -> list[list[str]]:
        """Each group's words, rarest first: the first word drives the search, the others are checked."""
        return [sorted(words, key=_word_estimate) if len(words) > 1 else words for words in self.query_groups]

    def _word_tokens(self, word: str) -> QuerySet:
        tokens = EstablishmentSearchToken.objects.filter(_word_match(word))
        return tokens if self.include_closed else tokens.filter(is_open=True)

    def _matching_tokens(self, words: list[str]) -> QuerySet:
        """Ids of establishments with every word, from the first word's index range."""
        driver, *others = words
        tokens = self._word_tokens(driver)
        for word in others:
            tokens = tokens.filter(_has_word(word, OuterRef("establishment_id")))
        return tokens.values_list("establishment_id", flat=True).distinct()

    @cached_property
    def _small_id_set(self) -> set[int] | None:
        """Every matching id when there are at most ID_LIST_LIMIT of them (one index-only query per
        group), else None. A postcode's alternative spellings are always few, so their union is too."""
        ids: set[int] = set()
        for words in self.groups:
            ids.update(self._matching_tokens(words)[: ID_LIST_LIMIT + 1])
            if len(ids) > ID_LIST_LIMIT:
                return None
        return ids

    @cached_property
    def _count(self) -> int:
        if not self.query_groups:
            return 0
        if self._small_id_set is not None:
            return len(self._small_id_set)
        if len(self.groups) == 1 and len(self.groups[0]) == 1:
            return self._count_one_word(self.groups[0][0])
        if len(self.groups) == 1:
            return self._matching_tokens(self.groups[0]).count()
        return self._any_group_ids().count()

    def _count_one_word(self, word: str) -> int:
        """When every token in the word's range is the same ("primary" finds only "primary"), no
        establishment can appear twice, so a plain count of index entries is exact and skips the
        de-duplication that costs SQLite several times more for the thousands of matches a common word has."""
        tokens = self._word_tokens(word)
        first = tokens.order_by("token").values_list("token", flat=True)[:1]
        last = tokens.order_by("-token").values_list("token", flat=True)[:1]
        if list(first) == list(last):
            return tokens.count()
        return tokens.values_list("establishment_id", flat=True).distinct().count()

    def _any_group_ids(self) -> QuerySet:
        either = Q()
        for words in self.groups:
            either |= Q(establishment_id__in=self._matching_tokens(words))
        return EstablishmentSearchToken.objects.filter(either).values_list("establishment_id", flat=True).distinct()

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __iter__(self):
        return iter(self[0 : self._count])

    def __getitem__(self, index: slice) -> list[Establishment]:
        if not isinstance(index, slice) or index.step is not None:
            raise TypeError("Search results can only be sliced, e.g. results[0:20]")
        start, stop = index.start or 0, index.stop if index.stop is not None else self._count
        if not self.query_groups or stop <= start or not self._count:
            return []
        return list(self._in_name_order(stop)[start:stop])

    def _in_name_order(self, stop: int) -> QuerySet[Establishment]:
        establishments = Establishment.objects.only(*RESULT_FIELDS).order_by("name", "urn")
        if self._small_id_set is not None:
            # A literal id list: both databases fetch by primary key and sort, whatever their statistics.
            return establishments.filter(id__in=self._small_id_set)
        if self._walking_names_is_cheaper(stop):
            # The open-only filter goes through the tokens' is_open: a condition on status would tempt
            # SQLite to read the status index and sort every open establishment instead.
            driver, *others = self.groups[0]
            establishments = establishments.filter(
                Exists(self._word_tokens(driver).filter(establishment_id=OuterRef("pk")))
            )
            for word in others:
                establishments = establishments.filter(_has_word(word, OuterRef("pk")))
            return establishments
        if len(self.groups) == 1:
            return establishments.filter(id__in=self._matching_tokens(self.groups[0]))
        return establishments.filter(id__in=self._any_group_ids())

    def _walking_names_is_cheaper(self, stop: int) -> bool:
        """Walking every establishment in name order reads about stop * register / count rows to fill the
        page; fetching the matches by id reads count rows and sorts them."""
        return len(self.query_groups) == 1 and self._count**2 > stop * APPROXIMATE_REGISTER_SIZE


def establishment_search(*, query: str, include_closed: bool = False) -> EstablishmentSearchResults:
    """Establishments matching every word of the query by name, town, postcode, URN or UKPRN, by name."""
    return EstablishmentSearchResults(query=query, include_closed=include_closed)


def establishment_search_page(*, query: str, include_closed: bool, page_number: int | str) -> Page:
    paginator = Paginator(establishment_search(query=query, include_closed=include_closed), SEARCH_PAGE_SIZE)
    return paginator.get_page(page_number)


def establishment_get(*, urn: str) -> Establishment | None:
    return Establishment.objects.select_related("local_authority", "trust").filter(urn=urn).first()


def establishment_links(*, establishment: Establishment) -> dict[str, list[EstablishmentLink]]:
    """Predecessors and successors, each with the linked establishment's URN and name."""
    links = list(establishment.links.all())
    return {
        "predecessors": [link for link in links if link.is_predecessor],
        "successors": [link for link in links if not link.is_predecessor],
    }


def group_get(*, uid: str) -> Group | None:
    return Group.objects.filter(uid=uid).first()


def group_establishments(*, group: Group) -> QuerySet[Establishment]:
    return group.establishments.select_related("local_authority").order_by("-status", "name")


def local_authority_get(*, code: str) -> LocalAuthority | None:
    return LocalAuthority.objects.filter(code=code).first()


def local_authority_summary(*, local_authority: LocalAuthority) -> dict:
    """Open establishments in the LA, counted by phase, plus the maintained schools it is responsible for."""
    open_establishments = local_authority.establishments.filter(status__in=Establishment.OPEN_STATUSES)
    by_phase = list(
        open_establishments.values("phase_name").annotate(total=Count("id")).order_by("-total", "phase_name")
    )
    return {
        "open_count": open_establishments.count(),
        "by_phase": by_phase,
        "maintained": establishments_looked_after(organisation=local_authority).order_by("name"),
    }


# --- Who looks after which establishments (docs/architecture.md) ----------------------------------------
#
# A school looks after itself; a trust, the establishments GIAS links to it; a local authority, the schools
# it maintains in its area (not the academies and free schools there: their trust answers for them); the
# department, every establishment. Closed establishments count only when the caller asks for them.
# The rule has a database form (looked_after_by) and an in-memory form (looks_after), kept side by side
# and tested to agree.


def looked_after_by(organisation: Organisation) -> Q:
    """The condition on Establishment rows for "this organisation looks after it", closed ones included."""
    if isinstance(organisation, Establishment):
        return Q(pk=organisation.pk)
    if isinstance(organisation, Group):
        return Q(trust_id=organisation.pk)
    if isinstance(organisation, LocalAuthority):
        return Q(local_authority_id=organisation.pk) & Establishment.maintained_by_local_authority()
    if isinstance(organisation, Department):
        return Q()
    raise TypeError(f"Not an organisation: {organisation!r}")


def looks_after(organisation: Organisation, establishment: Establishment) -> bool:
    """Whether the organisation looks after the establishment, open or closed, without a query."""
    if isinstance(organisation, Establishment):
        return organisation.pk == establishment.pk
    if isinstance(organisation, Group):
        return establishment.trust_id == organisation.pk
    if isinstance(organisation, LocalAuthority):
        return establishment.local_authority_id == organisation.pk and establishment.is_maintained_by_local_authority
    if isinstance(organisation, Department):
        return True
    raise TypeError(f"Not an organisation: {organisation!r}")


def establishments_looked_after(*, organisation: Organisation, include_closed: bool = False) -> QuerySet[Establishment]:
    """The establishments the organisation looks after, open ones only unless include_closed.

    One query with no joins (on the trust, local authority or status indexes); unevaluated, it also
    works as a subquery: Plan.objects.filter(establishment__in=establishments_looked_after(...)).
    """
    establishments = Establishment.objects.filter(looked_after_by(organisation))
    if not include_closed:
        establishments = establishments.filter(status__in=Establishment.OPEN_STATUSES)
    return establishments
