"""The layers of the design: Qt only in gui/, spaCy only in nlp/, sqlite-utils
only in store/, and core/ free of all three; gui/ and cli never import each other."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "annotator"

RULES = {
    "PySide6": "gui",
    "shiboken6": "gui",
    "spacy": "nlp",
    "thinc": "nlp",
    "sqlite_utils": "store",
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module:
                names.add(node.module)
            elif node.level:
                base = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-node.level]
                names.add(".".join(base + ((node.module,) if node.module else ())))
    return names


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_third_party_imports_stay_in_their_layer(path: Path) -> None:
    layer = path.relative_to(PACKAGE).parts[0]
    for module in imported_modules(path):
        top = module.split(".")[0]
        if top in RULES:
            assert layer == RULES[top], f"{path.name} imports {module} outside annotator/{RULES[top]}/"


@pytest.mark.parametrize("path", [p for p in SOURCES if p.relative_to(PACKAGE).parts[0] == "core"], ids=lambda p: p.name)
def test_core_imports_no_other_layer(path: Path) -> None:
    for module in imported_modules(path):
        assert not module.startswith(("annotator.store", "annotator.nlp", "annotator.gui", "annotator.formats", "annotator.ops", "sqlite3")), module


def test_gui_and_cli_do_not_import_each_other() -> None:
    for path in SOURCES:
        rel = path.relative_to(PACKAGE)
        mods = imported_modules(path)
        if rel.parts[0] == "gui":
            assert "annotator.cli" not in mods, path
        if rel == Path("cli.py"):
            top_level = ast.parse(path.read_text(encoding="utf-8")).body
            for node in top_level:
                if isinstance(node, ast.ImportFrom) and node.module and "gui" in node.module:
                    pytest.fail("cli.py imports the GUI at module level; import it inside the command")


def test_layering_check_sees_imports() -> None:
    # the checker must see both absolute and relative imports
    assert "spacy" in imported_modules(PACKAGE / "nlp" / "pipeline.py")
    assert "sqlite_utils" in imported_modules(PACKAGE / "store" / "project.py")
    assert "annotator.core.errors" in imported_modules(PACKAGE / "store" / "project.py")
