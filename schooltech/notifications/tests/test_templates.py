import pytest

from schooltech.notifications import templates

REGISTERED_FIELDS = {
    "access_request_submitted": {"organisation_name", "requester_name", "requester_email", "reason", "review_url"},
    "access_request_approved": {"organisation_name", "role", "service_url"},
    "access_request_rejected": {"organisation_name", "reason"},
    "access_request_escalated": {
        "organisation_name",
        "requester_name",
        "requester_email",
        "days_waiting",
        "review_url",
    },
    "invitation": {"organisation_name", "inviter_name", "role", "sign_in_url"},
}


def test_registry_lists_the_agreed_templates_with_their_fields():
    for key, fields in REGISTERED_FIELDS.items():
        assert set(templates.get_template(key).fields) == fields


def test_every_template_uses_exactly_its_fields_as_placeholders():
    for key in templates.template_keys():
        template = templates.get_template(key)
        assert template.placeholders() == set(template.fields), key


def test_template_ids_are_unique():
    ids = [templates.get_template(key).template_id for key in templates.template_keys()]
    assert len(ids) == len(set(ids))


def test_loading_a_template_whose_fields_do_not_match_its_placeholders_fails(tmp_path):
    path = tmp_path / "templates.toml"
    path.write_text('[broken]\ntemplate_id = "x"\nfields = ["name"]\nsubject = "Hello ((nmae))"\nbody = "Hi"\n')
    with pytest.raises(templates.TemplateError, match="do not match"):
        templates.load_templates(path)


def test_unknown_template_key_is_rejected_with_the_known_keys():
    with pytest.raises(templates.TemplateError, match=r"Unknown email template 'welcome'.*invitation"):
        templates.get_template("welcome")


def test_missing_and_extra_personalisation_fields_are_named():
    with pytest.raises(templates.TemplateError, match="missing reason; unexpected colour"):
        templates.check_personalisation("access_request_rejected", {"organisation_name": "A school", "colour": "red"})


def test_personalisation_values_must_be_text():
    with pytest.raises(templates.TemplateError, match="must be text"):
        templates.check_personalisation("access_request_rejected", {"organisation_name": "A school", "reason": 3})


def test_render_fills_placeholders_including_ones_wrapped_in_brackets():
    template = templates.get_template("access_request_submitted")
    subject, body = template.render(
        {
            "organisation_name": "Oak Academy",
            "requester_name": "Sam Patel",
            "requester_email": "sam@example.org",
            "reason": "I am the IT lead",
            "review_url": "https://example.org/review/1",
        }
    )
    assert subject == "Sam Patel has asked to join Oak Academy"
    assert "Sam Patel (sam@example.org) has asked" in body
    assert "((" not in body


def test_deployment_can_override_a_notify_template_id(settings):
    settings.NOTIFY_TEMPLATE_IDS = {"invitation": "11111111-2222-3333-4444-555555555555"}
    assert templates.notify_template_id("invitation") == "11111111-2222-3333-4444-555555555555"
    assert (
        templates.notify_template_id("access_request_approved")
        == templates.get_template("access_request_approved").template_id
    )
