"""The Jinja2 environment for service pages: app templates plus the GOV.UK Frontend macros."""

from collections import ChainMap

from django.contrib.humanize.templatetags.humanize import intcomma
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from schooltech.core import components, dates, govuk_forms, html, layout, pagination, tables, words


def url(viewname: str, *args, **kwargs) -> str:
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


class _TemplateGlobals(ChainMap):
    """A template's globals whose keys() is one set: Jinja subtracts them from the caller's on every
    import inside a macro, and ChainMap's keys view would look each key up map by map."""

    def keys(self):
        return set().union(*self.maps)


class ServiceEnvironment(Environment):
    def make_globals(self, d):
        return _TemplateGlobals({} if d is None else d, self.globals)


def environment(**options) -> Environment:
    app_loader = options.pop("loader")
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    options["autoescape"] = True
    env = ServiceEnvironment(
        loader=ChoiceLoader(
            [
                app_loader,
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        extensions=["jinja2.ext.do"],
        **options,
    )
    env.globals.update(
        static=static,
        url=url,
        govuk_field=govuk_forms.field_params,
        govuk_component=components.govuk_component,
        govuk_error_summary=govuk_forms.error_summary_params,
        link=html.link,
        lines=html.lines,
        slot=html.slot,
        fill=html.fill,
        govuk_pagination=pagination.govuk_pagination,
        govuk_table=tables.govuk_table,
        layout_header=layout.header,
        layout_phase_banner=layout.phase_banner,
        layout_footer=layout.footer,
    )
    env.filters.update(
        intcomma=intcomma,
        govuk_date=dates.govuk_date,
        govuk_date_time=dates.govuk_date_time,
        counted=words.counted,
    )
    return env
