"""No app imports another inside a function: every dependency between apps is stated at the top of
its module, where the import contract (lint-imports) and a reader see it. AppConfig.ready() is the
exception Django needs (apps register with each other once every app is loaded)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "schooltech"


def _app_of(parts: tuple[str, ...]) -> str:
    return parts[1] if len(parts) > 1 else parts[0]


def _imported_modules(node: ast.AST) -> list[str]:
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return [node.module]
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return []


def hidden_cross_app_imports() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if "tests" in parts or "migrations" in parts or path.name == "apps.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                for module in _imported_modules(node):
                    target = tuple(module.split("."))
                    if target[0] == "schooltech" and _app_of(target) != _app_of(parts):
                        found.append(f"{'/'.join(parts)}.py:{node.lineno} imports {module} in {function.name}()")
    return found


def test_no_app_imports_another_inside_a_function():
    assert hidden_cross_app_imports() == []
