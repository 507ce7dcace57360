"""Check that every course's link in the training catalogue still works. Run weekly by the scheduler."""

from django.core.management.base import BaseCommand

from schooltech.training import links, services


class Command(BaseCommand):
    help = "Check each training course's link and record which are broken (shown to support on the catalogue)"

    def handle(self, *args, **options):
        result = services.course_links_check(checker=links.default_checker())
        self.stdout.write(f"Checked {result.checked} links: {result.broken} not working")
