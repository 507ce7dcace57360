"""Reads of GIAS organisations: search and the pages for schools, trusts and local authorities."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from schooltech.organisations.models import Establishment, EstablishmentLink, Group, LocalAuthority

SEARCH_PAGE_SIZE = 20


def establishment_search(*, query: str, include_closed: bool = False) -> QuerySet[Establishment]:
    """Establishments matching every word of the query in name, town or postcode, or by URN/UKPRN."""
    establishments = Establishment.objects.select_related("local_authority")
    if not include_closed:
        establishments = establishments.filter(status__in=Establishment.OPEN_STATUSES)
    words = query.lower().split()
    if not words:
        return establishments.none()
    text_match = Q()
    for word in words:
        text_match &= Q(search_text__contains=word)
    if len(words) == 1 and words[0].isdigit():
        text_match |= Q(urn=words[0]) | Q(ukprn=words[0])
    # A postcode typed with a different space still matches.
    compact = "".join(words)
    if len(words) == 2 and len(compact) <= 7:
        text_match |= Q(search_text__contains=compact)
    return establishments.filter(text_match).order_by("name", "urn")


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
        "maintained": open_establishments.filter(type_group_code="4").order_by("name"),
    }
