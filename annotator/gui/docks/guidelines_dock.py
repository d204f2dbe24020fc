"""The annotation guidelines of the project's scheme, as plain text."""
from __future__ import annotations

from PySide6.QtWidgets import QDockWidget, QPlainTextEdit, QWidget

from ...core.scheme import Scheme


def guidelines_text(scheme: Scheme) -> str:
    """The scheme's description, guidelines, labels and relation types as text."""
    parts = [scheme.name]
    if scheme.description:
        parts.append(scheme.description)
    if scheme.guidelines:
        parts.append(scheme.guidelines.strip())
    lines = ["Labels"]
    for label in scheme.labels:
        key = f"[{label.key}] " if label.key else ""
        desc = f": {label.description}" if label.description else ""
        lines.append(f"  {key}{label.name}{desc}")
    parts.append("\n".join(lines))
    if scheme.relations:
        lines = ["Relations"]
        for rel in scheme.relations:
            head = "/".join(rel.head) or "any"
            child = "/".join(rel.child) or "any"
            arrow = "<->" if rel.symmetric else "->"
            desc = f": {rel.description}" if rel.description else ""
            lines.append(f"  {rel.name} ({head} {arrow} {child}){desc}")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"


class GuidelinesDock(QDockWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Guidelines", parent)
        self.setObjectName("guidelines_dock")
        self.text = QPlainTextEdit()
        self.text.setObjectName("guidelines_text")
        self.text.setReadOnly(True)
        self.setWidget(self.text)

    def set_scheme(self, scheme: Scheme) -> None:
        self.text.setPlainText(guidelines_text(scheme))
