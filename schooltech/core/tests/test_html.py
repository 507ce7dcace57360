import pytest
from django.template import engines

from schooltech.core.html import fill, slot

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
