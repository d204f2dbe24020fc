"""Every command of the labeling window as a ``QAction``, built by one factory.

Each action has an ``objectName`` (tests trigger them by name), its shortcuts
and a group; the shortcut cheat-sheet and the menus are generated from the
same table, so a key listed there is a key that works.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QSizePolicy, QToolBar, QWidget


@dataclass(frozen=True)
class ActionSpec:
    """One command: ``name`` is the objectName, ``shortcuts`` in QKeySequence text."""

    name: str
    text: str
    shortcuts: tuple[str, ...] = ()
    group: str = ""
    tip: str = ""
    short: str = ""  # toolbar text, when shorter than ``text``


SPECS: tuple[ActionSpec, ...] = (
    # spans
    ActionSpec("delete", "Delete", ("Delete", "Backspace"), "Spans and relations",
               "Delete the selected span (with its relations) or relation"),
    ActionSpec("start_left", "Start one token left", ("[",), "Spans and relations", "Grow the span to the left"),
    ActionSpec("start_right", "Start one token right", ("]",), "Spans and relations", "Shrink the span from the left"),
    ActionSpec("end_left", "End one token left", ("{",), "Spans and relations", "Shrink the span from the right"),
    ActionSpec("end_right", "End one token right", ("}",), "Spans and relations", "Grow the span to the right"),
    ActionSpec("next_span", "Next span", ("Tab",), "Spans and relations", "Select the next span (or relation target)"),
    ActionSpec("prev_span", "Previous span", ("Shift+Tab",), "Spans and relations", "Select the previous span (or relation target)"),
    ActionSpec("relation", "Start relation", ("R",), "Spans and relations",
               "From the selected span: then click, or Tab and Enter, on the other span"),
    ActionSpec("confirm", "Link to this span", ("Return", "Enter"), "Spans and relations",
               "Finish the relation at the span Tab selected"),
    ActionSpec("cancel", "Cancel", ("Escape",), "Spans and relations", "Cancel the relation or clear the selection"),
    ActionSpec("reverse", "Reverse relation", ("V",), "Spans and relations", "Swap head and child of the selected relation"),
    ActionSpec("relation_type", "Change relation type…", ("T",), "Spans and relations",
               "Choose another allowed type for the selected relation"),
    # suggestions
    ActionSpec("accept", "Accept suggestion", ("A",), "Suggestions", "Confirm the selected suggestion, go to the next"),
    ActionSpec("accept_all", "Accept all suggestions", ("Shift+A",), "Suggestions", "Confirm every remaining suggestion",
               "Accept all"),
    ActionSpec("reject", "Reject suggestion", ("X",), "Suggestions", "Delete the selected suggestion, go to the next"),
    ActionSpec("reject_all", "Reject all suggestions", ("Shift+X",), "Suggestions", "Delete every remaining suggestion",
               "Reject all"),
    # history
    ActionSpec("undo", "Undo", ("Ctrl+Z",), "History", "Undo the last edit (also after a restart)", "Undo"),
    ActionSpec("redo", "Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "History", "Redo the last undone edit", "Redo"),
    # documents
    ActionSpec("done", "Mark done and next", ("Ctrl+Return", "Ctrl+Enter"), "Documents",
               "Mark the document done and open the next open one", "Mark done"),
    ActionSpec("skip", "Skip and next", ("Ctrl+Shift+Return", "Ctrl+Shift+Enter"), "Documents",
               "Mark the document skipped and open the next open one", "Skip"),
    ActionSpec("next_doc", "Next document", ("PgDown",), "Documents", "Open the next document in the list", "Next ›"),
    ActionSpec("prev_doc", "Previous document", ("PgUp",), "Documents", "Open the previous document in the list",
               "‹ Previous"),
    ActionSpec("find", "Search documents", ("Ctrl+F",), "Documents",
               "Full-text search in the document list; Enter opens the first hit"),
    ActionSpec("find_in_doc", "Find in document", ("Ctrl+Shift+F",), "Documents", "Find a phrase in the open document"),
    ActionSpec("find_next", "Next match", ("F3",), "Documents", "Go to the next match of the search in the text"),
    ActionSpec("find_prev", "Previous match", ("Shift+F3",), "Documents", "Go to the previous match in the text"),
    # project
    ActionSpec("open_project", "Open project…", ("Ctrl+O",), "Project", "Open another project file"),
    ActionSpec("import", "Import…", ("Ctrl+I",), "Project", "Import documents (pre-annotated with rules)"),
    ActionSpec("export", "Export…", ("Ctrl+E",), "Project", "Export annotations"),
    ActionSpec("review", "Review mode…", ("Ctrl+Shift+R",), "Project",
               "Open the review window: compare the annotators and resolve conflicts into gold"),
    ActionSpec("quit", "Quit", ("Ctrl+Q",), "Project", "Close the window"),
    # help
    ActionSpec("shortcuts", "Keyboard shortcuts", ("F1", "?"), "Help", "Show this list"),
)

SPEC_BY_NAME = {spec.name: spec for spec in SPECS}


def configure(action: QAction, spec: ActionSpec) -> QAction:
    """Give an existing action the name, text, shortcuts and tip of ``spec``."""
    action.setObjectName(spec.name)
    action.setText(spec.text)
    action.setShortcuts([QKeySequence(s) for s in spec.shortcuts])
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    if spec.short:
        action.setIconText(spec.short)
    if spec.tip:
        action.setToolTip(f"{spec.tip} ({', '.join(spec.shortcuts)})" if spec.shortcuts else spec.tip)
        action.setStatusTip(spec.tip)
    return action


def make_action(parent: QWidget, spec: ActionSpec, handler: Callable[[], object]) -> QAction:
    """A window-wide action for ``spec`` that calls ``handler`` (without arguments)."""
    action = configure(QAction(parent), spec)
    action.triggered.connect(lambda _checked=False: handler())
    parent.addAction(action)
    return action


def build_actions(
    parent: QWidget, handlers: Mapping[str, Callable[[], object]], specs: Iterable[ActionSpec] = SPECS
) -> dict[str, QAction]:
    """One action per spec, added to ``parent`` so its shortcuts work window-wide.

    Raises KeyError naming a spec without a handler (a command nobody wired).
    """
    actions = {}
    for spec in specs:
        if spec.name not in handlers:
            raise KeyError(f"no handler for action {spec.name!r}")
        actions[spec.name] = make_action(parent, spec, handlers[spec.name])
    return actions


def key_spec(key: str, label: str) -> ActionSpec:
    """The spec of the action for a label key: applies ``label`` to a new or
    selected span, or picks a relation type by number when a relation is selected."""
    return ActionSpec(f"key_{key}", f"{label}", (key.upper() if key.isalpha() else key,), "Labels",
                      f"Label the selection or selected span {label}")


def build_toolbar(
    window: QMainWindow,
    name: str,
    actions: dict[str, QAction],
    left: tuple[str | None, ...],
    right: tuple[str, ...],
) -> QToolBar:
    """A fixed text-only toolbar: ``left`` actions (None for a separator), a
    stretch, then ``right`` ones, the last styled as the primary button."""
    toolbar = QToolBar(name)
    toolbar.setObjectName(f"{name.lower()}_toolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    for item in left:
        toolbar.addSeparator() if item is None else toolbar.addAction(actions[item])
    spacer = QWidget()
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    toolbar.addWidget(spacer)
    for item in right:
        toolbar.addAction(actions[item])
    toolbar.widgetForAction(actions[right[-1]]).setObjectName("primary_button")
    window.addToolBar(toolbar)
    return toolbar


def context_menu(parent: QWidget, title: str, items: Iterable[QAction | QMenu | None]) -> QMenu:
    """A right-click menu: a disabled title (shown literally), then actions
    (with their keys, as in the menu bar), submenus and separators (None)."""
    menu = QMenu(parent)
    menu.setObjectName("context_menu")
    menu.addAction(title.replace("&", "&&")).setEnabled(False)
    menu.addSeparator()
    for item in items:
        if item is None:
            menu.addSeparator()
        elif isinstance(item, QMenu):
            menu.addMenu(item)
        else:
            menu.addAction(item)
    return menu
