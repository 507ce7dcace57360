"""Import official GIAS download files: establishments, groups, group memberships and establishment links.

    python manage.py import_gias edubasealldata20260307.csv allgroupsdata20260307.csv \
        alllinksdata20260307.csv links_edubasealldata20260307.csv

Every file is checked in full before anything is written, and all writes happen in one transaction.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from schooltech.organisations import gias, services

# Import order matters: groups before establishments (trust links), establishments before links.
KINDS = ("groups", "establishments", "memberships", "links")
FILE_NAME_PREFIXES = {
    "links_edubasealldata": "links",
    "edubasealldata": "establishments",
    "allgroupsdata": "groups",
    "alllinksdata": "memberships",
}
PARSERS = {
    "groups": gias.parse_groups,
    "establishments": gias.parse_establishments,
    "memberships": gias.parse_group_memberships,
    "links": gias.parse_establishment_links,
}


def kind_from_file_name(path: Path) -> str | None:
    name = path.name.lower()
    for prefix, kind in FILE_NAME_PREFIXES.items():
        if name.startswith(prefix):
            return kind
    return None


class Command(BaseCommand):
    help = "Import GIAS download files (edubasealldata, allgroupsdata, alllinksdata, links_edubasealldata)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", type=Path, help="GIAS CSV files, recognised by their names")
        for kind in KINDS:
            parser.add_argument(f"--{kind}", type=Path, help=f"A {kind} file with a non-standard name")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Import even if a file has far fewer rows than the database holds (a partial extract)",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not show progress bars")

    def handle(self, *args, files, force=False, no_progress=False, **options):
        paths = self._paths_by_kind(files, options)
        progress = not no_progress and options["verbosity"] > 0
        parsed = {kind: PARSERS[kind](path, progress=progress) for kind, path in paths.items()}
        problems = [gias.GiasFileError(paths[kind], result.errors) for kind, result in parsed.items() if result.errors]
        if problems:
            raise CommandError("\n".join(problem.report() for problem in problems))
        try:
            summaries = self._write({kind: result.records for kind, result in parsed.items()}, force=force)
        except services.ImportRefused as error:
            raise CommandError(str(error)) from error
        for summary in summaries:
            self.stdout.write(str(summary))
        self.stdout.write(self.style.SUCCESS("Import finished"))

    def _paths_by_kind(self, files: list[Path], options: dict) -> dict[str, Path]:
        paths: dict[str, Path] = {}
        for path in files:
            kind = kind_from_file_name(path)
            if kind is None:
                expected = ", ".join(f"{prefix}*.csv" for prefix in FILE_NAME_PREFIXES)
                raise CommandError(
                    f"Cannot tell what {path.name} holds: GIAS names its files {expected}. "
                    "Use --establishments, --groups, --memberships or --links for other names."
                )
            if kind in paths:
                raise CommandError(f"Two {kind} files given: {paths[kind].name} and {path.name}")
            paths[kind] = path
        for kind in KINDS:
            if options.get(kind):
                paths[kind] = options[kind]
        if not paths:
            raise CommandError("Give at least one GIAS file to import")
        return {kind: paths[kind] for kind in KINDS if kind in paths}

    @transaction.atomic
    def _write(self, records: dict[str, list], *, force: bool) -> list[services.ImportSummary]:
        summaries: list[services.ImportSummary] = []
        if "groups" in records:
            summaries.append(services.groups_import(records=records["groups"], force=force))
        if "establishments" in records:
            summaries += services.establishments_import(records=records["establishments"], force=force)
        if "memberships" in records:
            summaries.append(services.group_memberships_import(records=records["memberships"], force=force))
        if "links" in records:
            summaries.append(services.establishment_links_import(records=records["links"], force=force))
        return summaries
