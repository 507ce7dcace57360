"""The custom import contract: across apps, only the modules named public."""

import grimp

from devtools.import_contracts import PublicModulesContract

OPTIONS = {
    "apps": ["shop.estate", "shop.planning"],
    "public_modules": ["shop.*.selectors", "shop.estate.reminders"],
    "skip_importers": ["shop.*.tests"],
}


def graph_with(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    graph.add_module("shop.planning.tests")  # a package, as every tests folder is
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported, line_number=3, line_contents="import")
    return graph


def check(graph, **options):
    return PublicModulesContract("public", session_options={}, contract_options={**OPTIONS, **options}).check(
        graph, verbose=False
    )


def test_selectors_and_named_public_modules_may_be_imported_across_apps():
    graph = graph_with(
        ("shop.planning.inputs", "shop.estate.selectors"),
        ("shop.planning.reminders", "shop.estate.reminders"),
        ("shop.planning.views", "shop.planning.models"),  # within an app, anything
    )
    assert check(graph).kept


def test_another_apps_private_module_breaks_the_contract():
    graph = graph_with(("shop.planning.inputs", "shop.estate.models"), ("shop.estate.views", "shop.planning.rules"))
    result = check(graph)
    assert not result.kept
    assert [(found.importer, found.imported) for found in result.metadata["illegal"]] == [
        ("shop.estate.views", "shop.planning.rules"),
        ("shop.planning.inputs", "shop.estate.models"),
    ]


def test_tests_and_listed_exceptions_are_not_checked():
    graph = graph_with(
        ("shop.planning.tests.test_inputs", "shop.estate.models"),
        ("shop.planning.inputs", "shop.estate.models"),
    )
    assert check(graph, ignore_imports=["shop.planning.inputs -> shop.estate.models"]).kept
