"""Find a school: public pages about establishments, trusts and local authorities from GIAS."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from schooltech.accounts import policy
from schooltech.organisations import selectors
from schooltech.organisations.forms import EstablishmentSearchForm


@policy.public
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = EstablishmentSearchForm(request.GET or None)
    page = None
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
        if query:
            page = selectors.establishment_search_page(
                query=query,
                include_closed=form.cleaned_data["include_closed"],
                page_number=request.GET.get("page", 1),
            )
    return render(request, "organisations/search.html", {"form": form, "page": page, "query": query})


@policy.public
@require_GET
def establishment_detail(request: HttpRequest, urn: str) -> HttpResponse:
    establishment = selectors.establishment_get(urn=urn)
    if establishment is None:
        raise Http404("No establishment with that URN")
    return render(
        request,
        "organisations/establishment.html",
        {"establishment": establishment, **selectors.establishment_links(establishment=establishment)},
    )


@policy.public
@require_GET
def trust_detail(request: HttpRequest, uid: str) -> HttpResponse:
    group = selectors.group_get(uid=uid)
    if group is None:
        raise Http404("No group with that UID")
    return render(
        request,
        "organisations/trust.html",
        {"group": group, "establishments": selectors.group_establishments(group=group)},
    )


@policy.public
@require_GET
def local_authority_detail(request: HttpRequest, code: str) -> HttpResponse:
    local_authority = selectors.local_authority_get(code=code)
    if local_authority is None:
        raise Http404("No local authority with that code")
    return render(
        request,
        "organisations/local_authority.html",
        {"local_authority": local_authority, **selectors.local_authority_summary(local_authority=local_authority)},
    )
