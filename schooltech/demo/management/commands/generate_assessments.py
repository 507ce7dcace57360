"""Record realistic, repeatable self-assessments so the demo trust's matrix has something to show.

    manage.py generate_assessments --demo        # the demo trust's schools (Partnership Learning)
    manage.py generate_assessments --urn 100049  # one school

Answers are chosen by a random generator seeded with the school and standard, so every run gives
the same results; schools that already have an assessment for a standard are left alone.
"""

import random

from django.core.management.base import BaseCommand, CommandError

from schooltech.accounts import demo
from schooltech.organisations.models import Establishment
from schooltech.standards import questionnaire, register_facts, selectors, services
from schooltech.standards.models import Assessment, SchoolPhase


class Command(BaseCommand):
    help = "Record completed demonstration assessments (deterministic; safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", dest="demo_trust", help="The demo trust's schools")
        parser.add_argument("--urn", action="append", default=[], help="A school's URN (repeatable)")

    def handle(self, *args, demo_trust: bool, urn: list[str], **options):
        if not demo_trust and not urn:
            raise CommandError("Give --demo or at least one --urn")
        if selectors.current_version() is None:
            services.catalogue_load()
        schools = Establishment.objects.none()
        if demo_trust:
            schools = Establishment.objects.filter(trust__uid=demo.DEMO_TRUST_UID)
        if urn:
            schools = schools | Establishment.objects.filter(urn__in=urn)
        recorded = sum(self._school(school) for school in schools.order_by("urn"))
        self.stdout.write(f"Recorded {recorded} assessments for {schools.count()} schools")

    def _school(self, school: Establishment) -> int:
        if selectors.phase_group_of(establishment=school) is None:
            SchoolPhase.objects.get_or_create(establishment=school, defaults={"phase_group": "secondary"})
        recorded = 0
        for position, standard in enumerate(selectors.current_standards()):
            chooser = random.Random(f"{school.urn}:{standard.key}")
            if chooser.random() < 0.15 + 0.02 * position:  # some standards not assessed yet
                continue
            already = Assessment.objects.filter(establishment=school, standard_key=standard.key).exists()
            if already:
                continue
            assessment = services.assessment_start(establishment=school, standard_key=standard.key, user=None)
            content = questionnaire.StandardContent(assessment.standard)
            from_registers = questionnaire.fact_answers(content, register_facts.facts_for(school))
            assessment.answers = answers_for(content, chooser, from_registers)
            assessment.save(update_fields=["answers"])
            services.assessment_submit(assessment=assessment, user=None)
            recorded += 1
        return recorded


def answers_for(
    content: questionnaire.StandardContent,
    chooser: random.Random,
    from_registers: dict[str, questionnaire.FactAnswer] | None = None,
) -> dict[str, str]:
    """Walk the questions choosing answers, the first (usually best) more often, "I don't know" rarely.

    Questions the registers answer follow the registers' answer, as the submitted walk will.
    """
    answers: dict[str, str] = {}
    from_registers = from_registers or {}
    key = content.standard.first_question
    while key:
        if key in from_registers:
            key = content.answers[(key, from_registers[key].answer_key)].next_question
            continue
        options = content.answers_for(content.questions[key])
        weights = [1 if answer.is_dont_know else (4 if index == 0 else 2) for index, answer in enumerate(options)]
        chosen = chooser.choices(options, weights=weights)[0]
        answers[key] = chosen.key
        key = chosen.next_question
    return answers
