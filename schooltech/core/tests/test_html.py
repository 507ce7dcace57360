from decimal import Decimal

import pytest
from django.template import engines
from markupsafe import Markup

from schooltech.core.html import Unkeyable, fill, frozen, slot

CHECKBOX = """{% from "govuk_frontend_jinja/components/checkboxes/macro.html" import govukCheckboxes %}
{{- govukCheckboxes({"idPrefix": "asset-" ~ pk, "name": "asset", "classes": "govuk-checkboxes--small",
  "items": [{"value": pk, "text": "Select " ~ name, "label": {"classes": "govuk-visually-hidden"}}]}) -}}"""


@pytest.mark.parametrize(
    ("pk", "name"), [(1, "Dell Latitude 5440"), (22, 'Pupil\'s "loan" <laptop> & charger'), (333, "")]
)
def test_a_filled_stamp_is_the_macros_own_html(pk, name):
    checkbox = engines["jinja2"].from_string(CHECKBOX)
    stamp = checkbox.render({"pk": slot("pk"), "name": slot("name")})
    assert fill(stamp, pk=pk, name=name) == checkbox.render({"pk": pk, "name": name})
    assert "<laptop>" not in fill(stamp, pk=pk, name=name)


def test_frozen_keys_tell_types_markup_and_text_apart_and_refuse_what_they_cannot():
    assert len({frozen(1), frozen(1.0), frozen(True), frozen("1")}) == 4
    assert frozen({"text": "<b>"}) != frozen({"text": Markup("<b>")})
    assert frozen({"b": [1], "a": 2}) == frozen({"a": 2, "b": [1]})
    with pytest.raises(Unkeyable):
        frozen({"cost": Decimal("1.00")})
