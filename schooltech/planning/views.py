"""Plan pages. Thin: forms validate, services write, selectors read, the policy decides access."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from schooltech.accounts import policy
from schooltech.core import calendar, charts, spreadsheets
from schooltech.core.dates import govuk_date
from schooltech.core.pagination import page_of
from schooltech.notifications.sharing import SharedItem, share_page
from schooltech.organisations.models import Establishment, Group, LocalAuthority
from schooltech.organisations.reference import OrganisationRef
from schooltech.planning import exports, forms, organisation_exports, selectors, services, where_to_act
from schooltech.planning.models import BuyingRoute, Category, PlanAction, PlanVersion, Priority

PAGE_SIZE = 50
LIST_DEFERRED = ("facts", "why", "cost_basis", "route_keys", "deferred_reason")  # not shown in lists


def _context(request, establishment: Establishment, plan, **extra) -> dict:
    return {
        "establishment": establishment,
        "plan": plan,
        "can_edit": policy.can(request.user, "edit", establishment),
        "can_approve": policy.can(request.user, "approve_plan", establishment),
        "basis": selectors.basis_of(plan) if plan else calendar.basis_for(establishment),
        "priority_tags": selectors.PRIORITY_TAG_CLASSES,
        "status_tags": selectors.STATUS_TAG_CLASSES,
        "Priority": Priority,
        "Category": Category,
        "Status": PlanAction.Status,
        "term_of": calendar.term_of,
        "financial_year_of": calendar.financial_year_of,
        "money": charts.money,
        "rule_name": selectors.rule_name,
        **extra,
    }


def _plan_or_redirect(establishment: Establishment):
    plan = selectors.plan_for(establishment=establishment)
    if plan is None:
        return None, redirect("planning:overview", urn=establishment.urn)
    return plan, None


def _overview_url(establishment: Establishment) -> str:
    return reverse("planning:overview", kwargs={"urn": establishment.urn})


@policy.signed_in
def start(request):
    """Where "Technology plan" in the navigation goes: the user's school's plan, or their trust's plans."""
    for membership in policy.memberships_of(request.user):
        if membership.establishment_id:
            return redirect("planning:overview", urn=membership.establishment.urn)
        if membership.trust_id or membership.local_authority_id:
            return redirect("planning:organisation", organisation=membership.organisation_ref)
    return redirect("planning:routes")


@policy.requires("view", establishment="urn")
def overview(request, establishment: Establishment):
    plan = selectors.plan_for(establishment=establishment)
    extra = {}
    if plan is not None:
        actions = list(selectors.active_actions(plan=plan).defer(*LIST_DEFERRED))
        extra = {
            "summary": selectors.summary(actions=actions),
            "budget": selectors.budget(plan=plan, actions=actions),
            "latest_version": plan.versions.first(),
            "not_used": selectors.not_used(plan=plan),
        }
    return render(request, "planning/overview.html", _context(request, establishment, plan, **extra))


@policy.requires("edit", establishment="urn")
@require_POST
def generate(request, establishment: Establishment):
    person = request.user.get_full_name() or request.user.email
    _, result = services.plan_generate(
        establishment=establishment, user=request.user, because=f"{person} asked for the plan to be updated"
    )
    messages.success(
        request,
        f"Plan updated: {result.created} new, {result.updated} changed, {result.retired} no longer needed. "
        "Statuses and actions added by hand are kept.",
    )
    return redirect("planning:overview", urn=establishment.urn)


@policy.requires("view", establishment="urn")
def timeline(request, establishment: Establishment):
    plan, response = _plan_or_redirect(establishment)
    if response:
        return response
    filters, form = _filters(request, plan)
    actions = list(selectors.filtered_actions(plan=plan, filters=filters).defer(*LIST_DEFERRED))
    page = page_of(actions, request, PAGE_SIZE)
    return render(
        request,
        "planning/timeline.html",
        _context(
            request,
            establishment,
            plan,
            page=page,
            filters=filters,
            form=form,
            years=selectors.timeline(actions=list(page.object_list)),
            term_totals=selectors.term_totals(actions=actions),
        ),
    )


def _filters(request, plan) -> tuple[selectors.Filters, forms.FilterForm]:
    filters = selectors.Filters.from_params(request.GET)
    years = [year.year for year in selectors.budget(plan=plan, actions=[])]
    return filters, forms.FilterForm(initial={k: v for k, v in vars(filters).items() if v}, years=years)


@policy.requires("view", establishment="urn")
def action_list(request, establishment: Establishment):
    plan, response = _plan_or_redirect(establishment)
    if response:
        return response
    filters, form = _filters(request, plan)
    page = page_of(selectors.filtered_actions(plan=plan, filters=filters).defer(*LIST_DEFERRED), request, PAGE_SIZE)
    return render(
        request,
        "planning/list.html",
        _context(request, establishment, plan, page=page, filters=filters, form=form),
    )


@policy.requires("view", establishment="urn")
def budget(request, establishment: Establishment):
    plan, response = _plan_or_redirect(establishment)
    if response:
        return response
    years = selectors.budget(plan=plan, actions=list(selectors.active_actions(plan=plan).defer(*LIST_DEFERRED)))
    chart = charts.bar_chart(
        [(y.year.label, y.total) for y in years],
        title=f"Estimated cost by financial year ({selectors.basis_of(plan).description})",
        money_values=True,
        label_width=150,
    )
    return render(request, "planning/budget.html", _context(request, establishment, plan, years=years, chart=chart))


@policy.requires("edit", establishment="urn")
def budget_edit(request, establishment: Establishment, year: int):
    plan, response = _plan_or_redirect(establishment)
    if response:
        return response
    financial_year = selectors.budget_year(plan=plan, start_year=year)
    if financial_year is None:
        raise Http404("That financial year is not in the plan")
    current = plan.budgets.filter(year_start=financial_year.start).values_list("amount", flat=True).first()
    label = f"What is your technology budget for {financial_year.long_label}?"
    form = forms.BudgetForm(request.POST or None, initial={"amount": current}, label=label)
    if request.method == "POST" and form.is_valid():
        amount = form.cleaned_data["amount"]
        services.plan_budget_set(plan=plan, year_start=financial_year.start, amount=amount, user=request.user)
        messages.success(
            request,
            f"Budget for {financial_year.label} {'saved' if amount is not None else 'removed'}",
        )
        return redirect(reverse("planning:budget", kwargs={"urn": establishment.urn}) + f"#year-{year}")
    return render(
        request,
        "planning/budget_edit.html",
        _context(request, establishment, plan, form=form, financial_year=financial_year),
    )


@policy.requires("view", establishment="urn", objects={"action_id": PlanAction})
def action_detail(request, establishment: Establishment, action: PlanAction):
    context = _context(
        request,
        establishment,
        action.plan,
        action=action,
        routes=selectors.routes_for(action=action),
        places=where_to_act.places(action, establishment.urn, can_edit=policy.can(request.user, "edit", establishment)),
        no_cost=where_to_act.no_cost(action),
        rule_explains=selectors.rule_explains(action.rule_key),
        history=selectors.action_history(action=action),
        form=forms.StatusForm(initial={"status": action.status}),
    )
    return render(request, "planning/action.html", context)


@policy.requires("edit", establishment="urn", objects={"action_id": PlanAction})
def action_status(request, establishment: Establishment, action: PlanAction):
    form = forms.StatusForm(request.POST or None, initial={"status": action.status})
    if request.method == "POST" and form.is_valid():
        status = form.cleaned_data["status"]
        if status == PlanAction.Status.DEFERRED:
            return redirect("planning:action_defer", urn=establishment.urn, action_id=action.pk)
        services.action_status_set(action=action, status=status, user=request.user)
        messages.success(request, f"Status changed to {PlanAction.Status(status).label.lower()}")
        return redirect("planning:action", urn=establishment.urn, action_id=action.pk)
    return render(
        request, "planning/status.html", _context(request, establishment, action.plan, action=action, form=form)
    )


@policy.requires("edit", establishment="urn", objects={"action_id": PlanAction})
def action_defer(request, establishment: Establishment, action: PlanAction):
    form = forms.DeferForm(request.POST or None, initial={"reason": action.deferred_reason})
    if request.method == "POST" and form.is_valid():
        services.action_status_set(
            action=action, status=PlanAction.Status.DEFERRED, user=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, "Action deferred")
        return redirect("planning:action", urn=establishment.urn, action_id=action.pk)
    return render(
        request, "planning/defer.html", _context(request, establishment, action.plan, action=action, form=form)
    )


@policy.requires("edit", establishment="urn")
def action_add(request, establishment: Establishment):
    plan, response = _plan_or_redirect(establishment)
    if response:
        return response
    form = forms.ActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = services.action_create(plan=plan, user=request.user, **form.cleaned_data)
        messages.success(request, "Action added to the plan")
        return redirect("planning:action", urn=establishment.urn, action_id=action.pk)
    return render(request, "planning/add.html", _context(request, establishment, plan, form=form))


@policy.requires("edit", establishment="urn")
def plan_settings(request, establishment: Establishment):
    plan, response = _plan_or_redirect(establishment)
    if response:
        return response
    initial = {"horizon_years": plan.horizon_years, "financial_year_basis": plan.financial_year_basis}
    form = forms.SettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.plan_settings_update(plan=plan, user=request.user, **form.cleaned_data)
        messages.success(request, "Plan settings saved and the plan updated")
        return redirect("planning:overview", urn=establishment.urn)
    default = calendar.default_basis(is_academy=establishment.is_academy).description
    return render(request, "planning/settings.html", _context(request, establishment, plan, form=form, default=default))


@policy.requires("edit", establishment="urn")
def approve(request, establishment: Establishment):
    plan, response = _plan_or_redirect(establishment)
    if response:
        return response
    if not policy.can(request.user, "approve_plan", establishment):
        return render(request, "planning/approve_denied.html", _context(request, establishment, plan), status=403)
    actions = list(selectors.active_actions(plan=plan))
    if request.method == "POST":
        try:
            version = services.plan_approve(plan=plan, user=request.user)
        except services.PlanningError as error:
            messages.error(request, str(error))
            return redirect("planning:overview", urn=establishment.urn)
        messages.success(request, f"Plan approved and kept as version {version.number}")
        return redirect("planning:version", urn=establishment.urn, version_id=version.pk)
    context = _context(request, establishment, plan, summary=selectors.summary(actions=actions))
    return render(request, "planning/approve.html", context)


@policy.requires("view", establishment="urn")
def versions(request, establishment: Establishment):
    plan, response = _plan_or_redirect(establishment)
    if response:
        return response
    rows = list(plan.versions.all())
    return render(request, "planning/versions.html", _context(request, establishment, plan, versions=rows))


@policy.requires("view", establishment="urn", objects={"version_id": PlanVersion})
def version_detail(request, establishment: Establishment, version: PlanVersion):
    context = _context(
        request, establishment, version.plan, version=version, snapshot=version.snapshot, iso_date=_iso_date
    )
    return render(request, "planning/version.html", context)


def _iso_date(text: str) -> str:
    return govuk_date(datetime.date.fromisoformat(text))


def _filename(establishment: Establishment, extension: str) -> str:
    return f"technology-plan-{establishment.urn}.{extension}"


@policy.requires("view", establishment="urn")
def export_csv(request, establishment: Establishment):
    plan, response = _plan_or_redirect(establishment)
    if response:
        return response
    header, rows = selectors.export_rows(plan=plan)
    return spreadsheets.download(spreadsheets.csv_bytes(_plan_table(header, rows)), _filename(establishment, "csv"))


@policy.requires("view", establishment="urn")
def export_xlsx(request, establishment: Establishment):
    plan, response = _plan_or_redirect(establishment)
    if response:
        return response
    header, rows = selectors.export_rows(plan=plan)
    return spreadsheets.download(spreadsheets.xlsx_bytes(_plan_table(header, rows)), _filename(establishment, "xlsx"))


def _plan_table(header: list[str], rows: list[list]) -> spreadsheets.Table:
    return spreadsheets.Table(
        name="Plan",
        header=header,
        rows=rows,
        decimal_format="£#,##0.00",
        column_widths=dict.fromkeys(range(len(header)), 22),
        autofilter=True,
    )


def _report_context(request, establishment, plan) -> dict:
    actions = list(selectors.active_actions(plan=plan))
    years = selectors.budget(plan=plan, actions=actions)
    return _context(
        request,
        establishment,
        plan,
        summary=selectors.summary(actions=actions),
        years=years,
        chart=charts.bar_chart(
            [(y.year.label, y.total) for y in years],
            title="Estimated cost by financial year",
            money_values=True,
            label_width=150,
        ),
        risks=selectors.top_risks(actions=actions),
        latest_version=plan.versions.first(),
    )


def _plan_summary_text(summary: selectors.Summary) -> str:
    """The plan's summary as plain text for an email: open actions by priority, cost, most pressing."""
    lines = [f"{summary.total} actions in the plan; estimated cost of open actions: £{summary.cost:,.0f}.", ""]
    lines += [f"* {label}: {count} open" for _, label, count in summary.by_priority if count]
    if summary.next_actions:
        lines += ["", "Most pressing:"]
        lines += [f"* {action.title} (due by {govuk_date(action.due_date)})" for action in summary.next_actions]
    return "\n".join(lines)


@policy.requires("view", establishment="urn")
@require_http_methods(["GET", "POST"])
def plan_share(request, establishment: Establishment):
    """Share the plan's summary by email (notifications.sharing: only to the addresses the sender names)."""
    plan, response = _plan_or_redirect(establishment)
    if response:
        return response
    actions = list(selectors.active_actions(plan=plan).defer(*LIST_DEFERRED))
    page = _overview_url(establishment)
    item = SharedItem(
        what="the technology plan summary",
        title=f"Technology plan for {establishment.name}",
        summary=_plan_summary_text(selectors.summary(actions=actions)),
        path=page,
        back=page,
    )
    return share_page(request, organisation=establishment, item=item)


@policy.requires("view", establishment="urn")
def governor_report(request, establishment: Establishment):
    plan, response = _plan_or_redirect(establishment)
    if response:
        return response
    return render(request, "planning/governor_report.html", _report_context(request, establishment, plan))


@policy.requires("view", establishment="urn")
def governor_report_pdf(request, establishment: Establishment):
    plan, response = _plan_or_redirect(establishment)
    if response:
        return response
    html = render_to_string("planning/governor_report_pdf.html", _report_context(request, establishment, plan), request)
    pdf = exports.pdf_bytes(html)
    result = HttpResponse(pdf, content_type="application/pdf")
    result["Content-Disposition"] = f'attachment; filename="{_filename(establishment, "pdf")}"'
    return result


def _organisation_plan_data(organisation) -> selectors.OrganisationPlan:
    if not isinstance(organisation, Group | LocalAuthority):
        raise Http404("Plans are kept by schools, trusts and local authorities")
    return selectors.organisation_plan(organisation=organisation)


@policy.requires("view", organisation="organisation")
def organisation_plan(request, organisation):
    if isinstance(organisation, Establishment):
        return redirect("planning:overview", urn=organisation.urn)
    data = _organisation_plan_data(organisation)
    return render(
        request,
        "planning/organisation.html",
        {
            "organisation": organisation,
            "ref": OrganisationRef.for_organisation(organisation),
            "is_trust": isinstance(organisation, Group),
            "data": data,
            "money": charts.money,
        },
    )


def _organisation_file_name(organisation, part: str, extension: str) -> str:
    slug = OrganisationRef.for_organisation(organisation).slug
    return f"plans-{part}-{slug}-{timezone.localdate():%Y-%m-%d}.{extension}"


@policy.requires("view", organisation="organisation")
def organisation_plan_csv(request, organisation):
    table = organisation_exports.schools_table(_organisation_plan_data(organisation))
    return spreadsheets.download(spreadsheets.csv_bytes(table), _organisation_file_name(organisation, "schools", "csv"))


@policy.requires("view", organisation="organisation")
def organisation_buy_together_csv(request, organisation):
    table = organisation_exports.buy_together_table(_organisation_plan_data(organisation))
    return spreadsheets.download(
        spreadsheets.csv_bytes(table), _organisation_file_name(organisation, "buy-together", "csv")
    )


@policy.requires("view", organisation="organisation")
def organisation_plan_xlsx(request, organisation):
    data = _organisation_plan_data(organisation)
    content = spreadsheets.xlsx_bytes(
        organisation_exports.schools_table(data), organisation_exports.buy_together_table(data)
    )
    return spreadsheets.download(content, _organisation_file_name(organisation, "schools", "xlsx"))


@policy.public
def routes_list(request):
    routes = BuyingRoute.objects.filter(is_active=True)
    return render(request, "planning/routes.html", {"routes": routes, "Category": Category})


@policy.public
def route_detail(request, route_key: str):
    route = BuyingRoute.objects.filter(key=route_key, is_active=True).first()
    if route is None:
        raise Http404("No such buying route")
    return render(request, "planning/route.html", {"route": route, "Category": Category})
