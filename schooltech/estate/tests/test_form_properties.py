"""Any answers to the register forms (Hypothesis, tests/hostile_forms.py): no server error, a refusal
names the problem in the error summary and writes nothing."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from schooltech.estate import registers
from schooltech.estate.models import AssetCategory
from tests import factories
from tests.hostile_forms import FORM_PROPERTY, post_anything

pytestmark = pytest.mark.django_db

FACTORIES = {
    registers.ASSETS: factories.AssetFactory,
    registers.CONNECTIONS: factories.ConnectionFactory,
    registers.SERVICES: factories.ServiceFactory,
    registers.CONTRACTS: factories.ContractFactory,
    registers.INFORMATION_ASSETS: factories.InformationAssetFactory,
}
REGISTERS = pytest.mark.parametrize("register", registers.REGISTERS.values(), ids=lambda register: register.slug)


@REGISTERS
@FORM_PROPERTY
@given(data=st.data())
def test_any_answers_to_a_register_s_add_form(editor_client, school, register, data):
    url = f"/schools/{school.urn}/estate/{register.slug}/add"
    if register is registers.ASSETS:  # the asset form is reached through its category, chosen on the page before
        url += f"?category={data.draw(st.sampled_from(AssetCategory.values), label='category')}"
    post_anything(editor_client, url, data)


@REGISTERS
@FORM_PROPERTY
@given(data=st.data())
def test_any_answers_to_a_register_s_change_form(editor_client, school, register, data):
    item = FACTORIES[register](establishment=school)
    post_anything(editor_client, f"/schools/{school.urn}/estate/{register.slug}/{item.pk}/edit", data)


@FORM_PROPERTY
@given(data=st.data())
def test_any_answers_to_the_dispose_form(editor_client, school, data):
    asset = factories.AssetFactory(establishment=school)
    post_anything(editor_client, f"/schools/{school.urn}/estate/assets/dispose?asset={asset.pk}", data)
