"""The registry of Notify email templates, loaded from templates.toml in this folder.

Personalisation is checked here before anything is written to the outbox, so a typo in a
caller fails at once with a clear error instead of as a Notify 400 minutes later.
"""

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

TEMPLATES_FILE = Path(__file__).with_name("templates.toml")
PLACEHOLDER = re.compile(r"\(\(([^()]+)\)\)")


class TemplateError(ValueError):
    """A template key or its personalisation does not match the registry."""


@dataclass(frozen=True)
class EmailTemplate:
    key: str
    template_id: str
    fields: tuple[str, ...]
    subject: str
    body: str

    def placeholders(self) -> set[str]:
        return set(PLACEHOLDER.findall(self.subject)) | set(PLACEHOLDER.findall(self.body))

    def render(self, personalisation: dict[str, str]) -> tuple[str, str]:
        """The subject and body with placeholders filled, as Notify would (for previews and the fake)."""

        def fill(text: str) -> str:
            return PLACEHOLDER.sub(lambda match: str(personalisation.get(match.group(1), match.group(0))), text)

        return fill(self.subject), fill(self.body).strip()


def load_templates(path: Path = TEMPLATES_FILE) -> dict[str, EmailTemplate]:
    with path.open("rb") as file:
        data = tomllib.load(file)
    templates = {}
    for key, table in data.items():
        template = EmailTemplate(
            key=key,
            template_id=table["template_id"],
            fields=tuple(table["fields"]),
            subject=table["subject"],
            body=table["body"],
        )
        if template.placeholders() != set(template.fields):
            raise TemplateError(
                f"Template {key!r}: fields {sorted(template.fields)} do not match the "
                f"placeholders {sorted(template.placeholders())} in its subject and body"
            )
        templates[key] = template
    return templates


@cache
def _registry() -> dict[str, EmailTemplate]:
    return load_templates()


def template_keys() -> list[str]:
    return sorted(_registry())


def get_template(key: str) -> EmailTemplate:
    try:
        return _registry()[key]
    except KeyError:
        known = ", ".join(template_keys())
        raise TemplateError(f"Unknown email template {key!r}; known templates are {known}") from None


def notify_template_id(key: str) -> str:
    """The Notify template id: a deployment's NOTIFY_TEMPLATE_IDS override, else the registry's."""
    return settings.NOTIFY_TEMPLATE_IDS.get(key) or get_template(key).template_id


def check_personalisation(key: str, personalisation: dict[str, str]) -> EmailTemplate:
    template = get_template(key)
    expected, given = set(template.fields), set(personalisation)
    problems = []
    if missing := sorted(expected - given):
        problems.append(f"missing {', '.join(missing)}")
    if extra := sorted(given - expected):
        problems.append(f"unexpected {', '.join(extra)}")
    if problems:
        raise TemplateError(f"Personalisation for template {key!r}: {'; '.join(problems)}")
    not_text = sorted(name for name, value in personalisation.items() if not isinstance(value, str))
    if not_text:
        raise TemplateError(f"Personalisation for template {key!r}: values must be text ({', '.join(not_text)})")
    return template
