"""Register pages. Thin: forms validate, services write, selectors read, policy decides access."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse

from schooltech.accounts import policy
from schooltech.core import charts, html, spreadsheets
from schooltech.core.dates import govuk_date
from schooltech.core.pagination import page_of
from schooltech.estate import exporters, forms, importers, lifecycle, registers, selectors, services
from schooltech.estate.models import Asset, AssetCategory, AssetStatus, ImportBatch
from schooltech.organisations.models import Establishment, Group, LocalAuthority
from schooltech.organisations.reference import OrganisationRef
from schooltech.organisations.selectors import establishments_looked_after

PAGE_SIZE = 50
ID_KWARGS = {
    "assets": "asset_id",
    "connections": "connection_id",
    "services": "service_id",
    "contracts": "contract_id",
    "information-assets": "information_asset_id",
}


def _register_url(name: str, establishment: Establishment, register: registers.Register, **kwargs) -> str:
    return reverse(f"estate:{register.slug}_{name}", kwargs={"urn": establishment.urn, **kwargs})


def cell_text(item, name: str) -> str:
    """A register value as the lists show it."""
    value = getattr(item, name)
    column = registers.register_for_model(type(item)).column_by_field[name]
    if value is None or value == "":
        return ""
    if column.kind == "date":
        return govuk_date(value)
    if column.kind == "decimal":
        return f"£{value:,.2f}"
    if column.kind == "float":
        return f"{value:g}"
    return str(exporters._cell(column, value))


def _common(establishment: Establishment, request, **extra) -> dict:
    register = extra.get("register")
    return {
        "establishment": establishment,
        "registers": registers.REGISTERS.values(),
        "can_edit": policy.can(request.user, "edit", establishment),
        "id_kwarg": ID_KWARGS.get(register.slug) if register else None,
        **extra,
    }


@policy.signed_in
def start(request):
    """Where "ICT estate" in the navigation goes: the user's school, or their trust's schools."""
    for membership in policy.memberships_of(request.user):
        ref = membership.organisation_ref
        if membership.establishment_id:
            return redirect("estate:summary", urn=membership.establishment.urn)
        if membership.trust_id or membership.local_authority_id:
            return redirect("estate:overview", organisation=ref)
    return render(request, "estate/no_access.html", {})


@policy.requires("view", establishment="urn")
def summary(request, establishment: Establishment):
    data = selectors.school_summary(establishment=establishment)
    context = _common(
        establishment,
        request,
        summary=data,
        support_chart=charts.bar_chart(
            [(label, count) for _, label, count in data.by_support], title="Devices in use by support status"
        ),
        age_chart=charts.bar_chart(data.by_age, title="Devices in use by age"),
        value_chart=charts.bar_chart(
            [(label, float(value)) for label, value in data.contract_value_by_year],
            title="Annual contract value by financial year",
            money_values=True,
        ),
    )
    return render(request, "estate/summary.html", context)


@policy.requires("view", establishment="urn")
def ending_soon(request, establishment: Establishment):
    found = selectors.ending_soon(establishment=establishment)
    return render(request, "estate/ending_soon.html", _common(establishment, request, windows=found))


def _overview_lines(organisation) -> list[selectors.SchoolLine]:
    if not isinstance(organisation, Group | LocalAuthority):
        raise Http404("No schools to show")
    return selectors.schools_overview(establishments=establishments_looked_after(organisation=organisation))


@policy.requires("view", organisation="organisation")
def organisation_overview(request, organisation):
    if isinstance(organisation, Establishment):
        return redirect("estate:summary", urn=organisation.urn)
    lines = _overview_lines(organisation)
    return render(
        request,
        "estate/overview.html",
        {
            "organisation": organisation,
            "ref": OrganisationRef.for_organisation(organisation),
            "lines": lines,
            "totals": selectors.overview_totals(lines),
        },
    )


NO_DATA_YET = "No data yet"


def _overview_table(organisation, lines: list[selectors.SchoolLine]) -> spreadsheets.Table:
    """The overview as a sheet: a school with nothing recorded says so instead of zeros; totals last."""
    rows = []
    for line in lines:
        school = [line.establishment.urn, line.establishment.name]
        if line.has_data:
            counts = [line.devices, line.support_ended, line.support_unknown, line.contracts_ending]
            rows.append([*school, *counts, line.annual_contract_value])
        else:
            rows.append([*school, NO_DATA_YET, None, None, None, None])
    totals = selectors.overview_totals(lines)
    rows.append(
        [
            "",
            f"Total ({totals.schools_with_data} of {totals.schools} schools with data)",
            totals.devices,
            totals.support_ended,
            totals.support_unknown,
            totals.contracts_ending,
            totals.annual_contract_value,
        ]
    )
    header = [
        "URN",
        "School",
        "Devices in use",
        "Support ended",
        "Support not known",
        "Contracts ending within 6 months",
        "Annual contract value (£)",
    ]
    widths = {0: 10, 1: 45} | dict.fromkeys(range(2, 7), 18)
    return spreadsheets.Table(name="ICT estate", header=header, rows=rows, column_widths=widths, frozen_columns=2)


def _overview_file_name(organisation, extension: str) -> str:
    ref = OrganisationRef.for_organisation(organisation).slug
    return f"ict-estate-{ref}-{selectors.today():%Y-%m-%d}.{extension}"


@policy.requires("view", organisation="organisation")
def organisation_overview_csv(request, organisation):
    table = _overview_table(organisation, _overview_lines(organisation))
    return spreadsheets.download(spreadsheets.csv_bytes(table), _overview_file_name(organisation, "csv"))


@policy.requires("view", organisation="organisation")
def organisation_overview_xlsx(request, organisation):
    table = _overview_table(organisation, _overview_lines(organisation))
    return spreadsheets.download(spreadsheets.xlsx_bytes(table), _overview_file_name(organisation, "xlsx"))


def _list_view(register: registers.Register):
    @policy.requires("view", establishment="urn")
    def view(request, establishment: Establishment):
        queryset = selectors.register_list(register=register, establishment=establishment, params=request.GET)
        page = page_of(queryset, request, PAGE_SIZE)
        query = {k: v for k, v in request.GET.items() if k != "page" and v}
        detail_base = reverse(
            f"estate:{register.slug}_detail", kwargs={"urn": establishment.urn, ID_KWARGS[register.slug]: 0}
        )[:-2]
        context = _common(
            establishment,
            request,
            register=register,
            page=page,
            item_rows=_table_rows(register, page.object_list, detail_base),
            params=query,
            sort_links=_sort_links(register, query),
            today=selectors.today(),
        )
        return render(request, "estate/list.html", context)

    view.__name__ = view.__qualname__ = f"{register.slug.replace('-', '_')}_list"
    return view


def _table_rows(register: registers.Register, items, detail_base: str) -> list[tuple[object, list[dict]]]:
    """Each item with its govukTable cells: the first links to the item (built here, not in the
    template: a loop of 50 rows and their columns was most of the list's time in Jinja)."""
    first, *rest = register.list_fields
    missing = "No " + register.column_by_field[first].header.lower()
    return [
        (
            item,
            [
                {"html": html.link(f"{detail_base}{item.pk}/", cell_text(item, first) or missing)},
                *({"text": cell_text(item, name)} for name in rest),
            ],
        )
        for item in items
    ]


def _sort_links(register: registers.Register, query: dict[str, str]) -> dict[str, dict]:
    current = query.get("sort", "")
    links = {}
    for name in register.sort_fields:
        ascending = current != name
        params = {**query, "sort": name if ascending else f"-{name}"}
        state = "ascending" if current == name else "descending" if current == f"-{name}" else "none"
        links[name] = {"href": "?" + urlencode(params), "state": state}
    return links


def _asset_category(request, current: str | None = None) -> tuple[str | None, forms.AssetCategoryForm | None]:
    """The asset category the form is for: `?category=` (chosen on the page before), else the
    asset's own. Returns the chooser form instead when there is none yet, it is not valid, or the
    person asked to change it (`?choose=1`). A POST that names its category itself (an older form,
    a script) gets every question, as before."""
    if request.method == "POST" and "category" not in request.GET and "category" in request.POST:
        return None, None
    if "category" in request.GET or "chosen" in request.GET:  # the chooser was sent, maybe with nothing chosen
        chooser = forms.AssetCategoryForm(request.GET)
        if chooser.is_valid():
            return chooser.cleaned_data["category"], None
        return None, chooser
    if current and "choose" not in request.GET:
        return current, None
    return None, forms.AssetCategoryForm(initial={"category": current} if current else None)


def _choose_category(request, establishment, register, chooser, *, item):
    return render(
        request,
        "estate/asset_category.html",
        _common(establishment, request, register=register, form=chooser, item=item),
    )


def _category_label(category: str | None) -> str | None:
    return AssetCategory(category).label if category else None


def _add_view(register: registers.Register):
    form_class = forms.FORMS[register.slug]

    @policy.requires("edit", establishment="urn")
    def view(request, establishment: Establishment):
        category = None
        if register is registers.ASSETS:
            category, chooser = _asset_category(request)
            if chooser is not None:
                return _choose_category(request, establishment, register, chooser, item=None)
        form = form_class(request.POST or None, establishment=establishment, category=category)
        if request.method == "POST" and form.is_valid():
            try:
                item = services.register_item_create(
                    register=register, establishment=establishment, user=request.user, data=form.values()
                )
            except services.EstateError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{item!s} added")
                if "add_another" in request.POST:
                    again = _register_url("add", establishment, register)
                    return redirect(f"{again}?{urlencode({'category': category})}" if category else again)
                return redirect(_register_url("list", establishment, register))
        return render(
            request,
            "estate/item_form.html",
            _common(
                establishment, request, register=register, form=form, item=None, category=_category_label(category)
            ),
        )

    view.__name__ = view.__qualname__ = f"{register.slug.replace('-', '_')}_add"
    return view


def _item_views(register: registers.Register):
    id_kwarg = ID_KWARGS[register.slug]
    instance_name = id_kwarg.removesuffix("_id")
    form_class = forms.FORMS[register.slug]

    @policy.requires("view", establishment="urn", objects={id_kwarg: register.model})
    def detail(request, establishment: Establishment, **kwargs):
        item = kwargs[instance_name]
        checks = None
        status = None
        if isinstance(item, Asset):
            today = selectors.today()
            status = selectors.SUPPORT_LABELS[lifecycle.support_status(item, today=today)]
            checks = (
                lifecycle.device_minimums(item, today=today)
                if item.category in lifecycle.MINIMUM_UPDATE_YEARS
                else None
            )
        rows = [(column.header, exporters._cell(column, getattr(item, column.field))) for column in register.columns]
        context = _common(establishment, request, register=register, item=item, rows=rows, checks=checks, status=status)
        return render(request, "estate/item_detail.html", context)

    @policy.requires("edit", establishment="urn", objects={id_kwarg: register.model})
    def edit(request, establishment: Establishment, **kwargs):
        item = kwargs[instance_name]
        category = None
        if register is registers.ASSETS:
            category, chooser = _asset_category(request, current=item.category)
            if chooser is not None:
                return _choose_category(request, establishment, register, chooser, item=item)
        form = form_class(request.POST or None, instance=item, establishment=establishment, category=category)
        if request.method == "POST" and form.is_valid():
            try:
                services.register_item_update(item=item, user=request.user, data=form.values())
            except services.EstateError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{item} updated")
                return redirect(_register_url("detail", establishment, register, **{id_kwarg: item.pk}))
        context = _common(
            establishment, request, register=register, form=form, item=item, category=_category_label(category)
        )
        return render(request, "estate/item_form.html", context)

    @policy.requires("edit", establishment="urn", objects={id_kwarg: register.model})
    def remove(request, establishment: Establishment, **kwargs):
        item = kwargs[instance_name]
        if request.method == "POST":
            label = str(item)
            services.register_item_delete(item=item, user=request.user)
            messages.success(request, f"{label} removed from the register")
            return redirect(_register_url("list", establishment, register))
        return render(request, "estate/item_remove.html", _common(establishment, request, register=register, item=item))

    prefix = register.slug.replace("-", "_")
    for function, name in ((detail, "detail"), (edit, "edit"), (remove, "remove")):
        function.__name__ = function.__qualname__ = f"{prefix}_{name}"
    return detail, edit, remove


def _export_view(register: registers.Register, file_format: str, *, template: bool = False):
    @policy.requires("view", establishment="urn")
    def view(request, establishment: Establishment):
        if template:
            rows = []
        else:
            rows = exporters.rows_for(
                register, register.model.objects.filter(establishment=establishment).order_by("pk")
            )
        stem = (
            f"{register.slug}-template"
            if template
            else f"{register.slug}-{establishment.urn}-{datetime.date.today():%Y-%m-%d}"
        )
        if file_format == "csv":
            content = exporters.to_csv(register, rows)
        else:
            content = exporters.to_xlsx(register, rows, with_guidance=template)
        return spreadsheets.download(content, f"{stem}.{file_format}")

    view.__name__ = view.__qualname__ = (
        f"{register.slug.replace('-', '_')}_{'template' if template else 'export'}_{file_format}"
    )
    return view


def _import_views(register: registers.Register):
    @policy.requires("edit", establishment="urn")
    def upload(request, establishment: Establishment):
        form = forms.UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload_file = form.cleaned_data["file"]
            try:
                batch = importers.import_batch_create(
                    register=register,
                    establishment=establishment,
                    user=request.user,
                    content=upload_file.read(),
                    filename=upload_file.name,
                )
            except importers.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                return redirect(_register_url("import_preview", establishment, register, batch_id=batch.pk))
        context = _common(establishment, request, register=register, form=form, vendors=importers.VENDOR_FORMATS)
        return render(request, "estate/import_upload.html", context)

    @policy.requires("edit", establishment="urn", objects={"batch_id": ImportBatch})
    def preview(request, establishment: Establishment, batch: ImportBatch):
        if batch.created_by_id != request.user.pk or batch.register != register.slug:
            raise Http404("No such import")
        if request.method == "POST" and batch.status == ImportBatch.Status.PREVIEWED and not batch.errors:
            try:
                batch = services.import_batch_commit(batch=batch, user=request.user)
            except services.EstateError as error:
                messages.error(request, str(error))
                return redirect(_register_url("import", establishment, register))
            messages.success(
                request, f"{batch.filename} imported: {batch.created_count} added, {batch.updated_count} updated"
            )
            return redirect(_register_url("list", establishment, register))
        context = _common(establishment, request, register=register, batch=batch, sample=batch.rows[:20])
        return render(request, "estate/import_preview.html", context)

    prefix = register.slug.replace("-", "_")
    upload.__name__ = upload.__qualname__ = f"{prefix}_import"
    preview.__name__ = preview.__qualname__ = f"{prefix}_import_preview"
    return upload, preview


@policy.requires("edit", establishment="urn")
def assets_dispose(request, establishment: Establishment):
    chosen = request.POST.getlist("asset") if request.method == "POST" else request.GET.getlist("asset")
    ids = [int(value) for value in chosen if value.isascii() and value.isdigit() and len(value) < 19]  # a bigint
    assets = list(Asset.objects.filter(establishment=establishment, pk__in=ids).exclude(status=AssetStatus.DISPOSED))
    form = forms.DisposeForm(request.POST if request.method == "POST" and "disposal_date-day" in request.POST else None)
    if form.is_bound and assets and form.is_valid():
        count = services.asset_bulk_dispose(
            establishment=establishment,
            user=request.user,
            asset_ids=[asset.pk for asset in assets],
            disposal_date=form.cleaned_data["disposal_date"],
            weee_reference=form.cleaned_data["weee_reference"],
        )
        messages.success(request, f"{count} {'asset' if count == 1 else 'assets'} marked as disposed")
        return redirect(_register_url("list", establishment, registers.ASSETS))
    context = _common(establishment, request, register=registers.ASSETS, assets=assets, form=form)
    return render(request, "estate/dispose.html", context)


def register_urlpatterns() -> list:
    patterns = []
    for register in registers.REGISTERS.values():
        slug, name = register.slug, register.slug.replace("-", "_")
        id_kwarg = ID_KWARGS[slug]
        detail, edit, remove = _item_views(register)
        upload, preview = _import_views(register)
        patterns += [
            path(f"schools/<str:urn>/estate/{slug}/", _list_view(register), name=f"{slug}_list"),
            path(f"schools/<str:urn>/estate/{slug}/add", _add_view(register), name=f"{slug}_add"),
            path(f"schools/<str:urn>/estate/{slug}/<int:{id_kwarg}>/", detail, name=f"{slug}_detail"),
            path(f"schools/<str:urn>/estate/{slug}/<int:{id_kwarg}>/edit", edit, name=f"{slug}_edit"),
            path(f"schools/<str:urn>/estate/{slug}/<int:{id_kwarg}>/remove", remove, name=f"{slug}_remove"),
            path(f"schools/<str:urn>/estate/{slug}/import", upload, name=f"{slug}_import"),
            path(f"schools/<str:urn>/estate/{slug}/import/<int:batch_id>", preview, name=f"{slug}_import_preview"),
            path(
                f"schools/<str:urn>/estate/{slug}/export.csv", _export_view(register, "csv"), name=f"{slug}_export_csv"
            ),
            path(
                f"schools/<str:urn>/estate/{slug}/export.xlsx",
                _export_view(register, "xlsx"),
                name=f"{slug}_export_xlsx",
            ),
            path(
                f"schools/<str:urn>/estate/{slug}/template.csv",
                _export_view(register, "csv", template=True),
                name=f"{slug}_template_csv",
            ),
            path(
                f"schools/<str:urn>/estate/{slug}/template.xlsx",
                _export_view(register, "xlsx", template=True),
                name=f"{slug}_template_xlsx",
            ),
        ]
        del name
    return patterns
