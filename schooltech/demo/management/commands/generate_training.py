"""Demonstration data: the demo schools' training records, so the standards' regular checks, the plan
and the training reminders have something to show. Staff did the NCSC training at the start of this
school year; governors did it 11 months ago, so their training falls due within a month (the
"due soon" state and its reminder). Schools that already record training are left alone: safe to
run again. Run after load_training and load_demo_accounts, before generate_plans."""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from schooltech.core import calendar
from schooltech.demo import people
from schooltech.organisations.models import Establishment
from schooltech.training import selectors, services

NCSC = "ncsc-staff-cyber-training"
KCSIE = "kcsie"


def _records(today: datetime.date) -> list[tuple[str, str, int, datetime.date]]:
    start_of_year = datetime.date(calendar.academic_year_of(today), 9, 4)
    staff_on = start_of_year if start_of_year <= today else today
    return [
        (NCSC, "all_staff", 38, staff_on),
        (NCSC, "governors", 2, today - datetime.timedelta(days=335)),
        (KCSIE, "dsl", 1, staff_on),
    ]


class Command(BaseCommand):
    help = "Record demonstration training (NCSC cyber training, KCSIE) at the demo schools (demonstration data)."

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", required=True, help="The demo people's own schools")

    def handle(self, *args, **options):
        schools = list(Establishment.objects.filter(urn__in=people.demo_school_urns()).order_by("urn"))
        if not schools:
            raise CommandError("No demo schools found: load the shipped data and the demo accounts first")
        if selectors.course_by_key(key=NCSC) is None:
            raise CommandError("The training catalogue is not loaded: run load_training first")
        today = timezone.localdate()
        made = 0
        for school in schools:
            if selectors.records_for(establishment=school).exists():
                continue
            for course_key, audience, number, on in _records(today):
                services.training_record_create(
                    establishment=school,
                    course=selectors.course_by_key(key=course_key),
                    audience=audience,
                    people=number,
                    completed_on=on,
                    notes="Demonstration record",
                    user=None,
                    today=today,
                )
                made += 1
        self.stdout.write(f"{made} demonstration training records at {len(schools)} demo schools")
