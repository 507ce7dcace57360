"""A custom import-linter contract: across apps, only their public modules.

Layers say which app may depend on which; this says through what. An app may import another app's
public modules (its `selectors` and `services`, and the few modules named in the configuration,
such as `organisations.models` for foreign keys) and nothing else of it, so a new module is private
until someone decides otherwise. Configured in pyproject.toml ([tool.importlinter]); see
docs/architecture.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import grimp
from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils
from importlinter.domain import helpers


@dataclass(frozen=True)
class CrossAppImport:
    importer: str
    imported: str
    line_numbers: tuple[int, ...]


def _within(module: str, packages: set[str]) -> bool:
    return any(module == package or module.startswith(f"{package}.") for package in packages)


class PublicModulesContract(Contract):
    """
    Configuration options:
        - apps:             The apps (packages) whose modules are checked, as importers and as imported.
        - public_modules:   The modules (and their descendants) any other app may import; wildcards allowed.
        - skip_importers:   Packages whose imports are not checked, e.g. tests. (Optional.)
        - ignore_imports:   Imports allowed anyway, each with its reason in a comment. (Optional.)
    """

    type_name = "public_modules"

    apps = fields.ListField(subfield=fields.ModuleField())
    public_modules = fields.ListField(subfield=fields.ModuleExpressionField())
    skip_importers = fields.ListField(subfield=fields.ModuleExpressionField(), required=False)
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)
    unmatched_ignore_imports_alerting = fields.EnumField(
        contract_utils.AlertLevel, default=contract_utils.AlertLevel.ERROR
    )

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,
            unmatched_alerting=self.unmatched_ignore_imports_alerting,
        )
        apps = {app.name for app in self.apps}
        public = {module.name for module in helpers.module_expressions_to_modules(graph, self.public_modules)}
        skipped = {module.name for module in helpers.module_expressions_to_modules(graph, self.skip_importers or [])}
        illegal = [
            CrossAppImport(importer, imported, self._line_numbers(graph, importer, imported))
            for importer in sorted(graph.modules)
            if self._app_of(importer, apps) and not _within(importer, skipped)
            for imported in sorted(graph.find_modules_directly_imported_by(importer))
            if self._crosses_into_private(importer, imported, apps, public)
        ]
        return ContractCheck(
            kept=not illegal,
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
            metadata={"illegal": illegal},
        )

    @staticmethod
    def _app_of(module: str, apps: set[str]) -> str | None:
        return next((app for app in apps if module == app or module.startswith(f"{app}.")), None)

    def _crosses_into_private(self, importer: str, imported: str, apps: set[str], public: set[str]) -> bool:
        imported_app = self._app_of(imported, apps)
        if imported_app is None or imported_app == self._app_of(importer, apps):
            return False
        return not _within(imported, public)

    @staticmethod
    def _line_numbers(graph: grimp.ImportGraph, importer: str, imported: str) -> tuple[int, ...]:
        return tuple(detail["line_number"] for detail in graph.get_import_details(importer=importer, imported=imported))

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("Imports of another app's private modules (use its selectors or services):", bold=False)
        output.new_line()
        for found in check.metadata["illegal"]:
            lines = ", ".join(map(str, found.line_numbers))
            output.print_error(f"- {found.importer} -> {found.imported} (l.{lines})", bold=False)
        output.new_line()
