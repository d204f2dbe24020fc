"""The conflict panel: the current cluster, each annotator's version of it and its key.

One row per compared annotator (key, tag, name, what they marked), then
``0 none``; the rows gold currently matches are ticked. Versions are written
as quoted text with label chips in the scheme's colours, so the panel reads
on its own, next to the outlined cluster in the text.
"""
from __future__ import annotations

import re
from typing import Mapping, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QFrame, QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from ...core.adjudicate import Cluster, Version
from ...core.model import Document
from ...core.scheme import Scheme
from ..docks.palette_dock import text_color
from ..plain_text import escape, plain_label, set_plain

MAX_QUOTE = 48
PICKED_STYLE = "QFrame#{name} {{ background: #e6f4ea; border: 1px solid #7cc68d; border-radius: 5px; }}"
PLAIN_STYLE = "QFrame#{name} {{ background: #ffffff; border: 1px solid #e1e4e8; border-radius: 5px; }}"


def quote(text: str, start: int, end: int, limit: int = MAX_QUOTE) -> str:
    """``text[start:end]`` on one line, shortened with an ellipsis."""
    piece = " ".join(text[start:end].split())
    return piece if len(piece) <= limit else piece[: limit - 1] + "…"


def chip(scheme: Scheme, label: str) -> str:
    """A label as a small coloured chip (rich text)."""
    found = scheme.label(label)
    color = found.color if found else "#d4d8de"
    return (
        f"<span style='background:{color}; color:{text_color(color)}; font-size:10px; font-weight:600;'>"
        f"&nbsp;{escape(label)}&nbsp;</span>"
    )


def describe_version(version: Version, document: Document, scheme: Scheme) -> str:
    """A version as rich text: each span quoted with its label chip, then
    each relation as ``label: head → child``; ``nothing`` when empty."""
    if version.empty:
        return "<span style='color:#6a737d'>nothing</span>"
    parts = [
        f"“{escape(quote(document.text, s, e))}” {chip(scheme, label)}"
        for s, e, label in sorted(version.spans)
    ]
    for head, child, label in sorted(version.relations, key=lambda k: (k[0], k[1], k[2])):
        parts.append(
            f"<i>{escape(label)}</i>: {escape(quote(document.text, head[0], head[1], 24))} → "
            f"{escape(quote(document.text, child[0], child[1], 24))}"
        )
    return "<br>".join(parts)


class ConflictDock(QDockWidget):
    """Shows the current cluster; the window fills it with ``show_cluster``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Conflict", parent)
        self.setObjectName("conflict_dock")
        body = QWidget()
        body.setObjectName("conflict_body")
        outer = QVBoxLayout(body)
        outer.setContentsMargins(10, 8, 10, 8)
        outer.setSpacing(6)
        self.title = QLabel("")
        self.title.setObjectName("conflict_title")
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.context = QLabel("")
        self.context.setObjectName("conflict_context")
        self.context.setTextFormat(Qt.TextFormat.RichText)
        self.context.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(8)
        self.grid.setVerticalSpacing(4)
        self.hint = plain_label("", "hint", selectable=False)
        outer.addWidget(self.title)
        outer.addWidget(self.context)
        outer.addLayout(self.grid)
        outer.addWidget(self.hint)
        outer.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("conflict_scroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.setWidget(scroll)
        self.rows: list[QFrame] = []  # reused from one cluster to the next; ``shown`` are visible
        self.shown = 0

    def picked(self) -> list[bool]:
        """For each version row shown (``1``..``k``, then ``0``), whether gold matches it."""
        return [bool(row.property("picked")) for row in self.rows[: self.shown]]

    def _clear(self) -> None:
        for row in self.rows:
            row.hide()
        self.shown = 0

    def show_nothing(self, text: str) -> None:
        """No cluster to show (the annotators agree, or no document is open)."""
        self._clear()
        self.title.setText(f"<b>{escape(text)}</b>")
        self.context.setText("")
        self.hint.setText("Gold stays editable: select text and click a label, or Alt + its key.")

    def show_cluster(
        self,
        cluster: Cluster,
        count: int,
        annotators: Sequence[str],
        present: Sequence[str],
        tags: Mapping[str, str],
        chosen: Sequence[str | None],
        document: Document,
        scheme: Scheme,
        unfinished: Mapping[str, str] | None = None,
    ) -> None:
        """Show ``cluster`` (one of ``count``) with a row per annotator.

        ``annotators`` are all compared names (row ``k`` is key ``k``),
        ``present`` those with a finished set for this document, ``chosen``
        the versions gold matches (``None`` for none), ``unfinished`` the
        status of each set left out because it is not finished.
        """
        unfinished = unfinished or {}
        self.shown = 0
        self.title.setText(
            f"<b>Conflict {cluster.number + 1} of {count}</b> "
            f"<span style='color:#6a737d'>· gold: {escape(self._chosen_text(chosen))}</span>"
        )
        self.title.setWordWrap(True)
        lo = max(0, cluster.start - 40)
        hi = min(len(document.text), cluster.end + 40)
        before, middle, after = (
            escape(re.sub(r"\s+", " ", document.text[a:b]))
            for a, b in ((lo, cluster.start), (cluster.start, cluster.end), (cluster.end, hi))
        )
        self.context.setText(
            f"<span style='color:#6a737d'>{'…' if lo else ''}{before.lstrip()}</span>"
            f"<span style='background:#fdf0d5'>{middle}</span>"
            f"<span style='color:#6a737d'>{after.rstrip()}{'…' if hi < len(document.text) else ''}</span>"
        )
        seen: dict[frozenset, str] = {}
        for k, name in enumerate(annotators, start=1):
            if k > 9:
                break
            if name in unfinished:
                status = escape(unfinished[name].replace("_", " "))
                self._row(str(k), tags.get(name, name), name,
                          f"<span style='color:#a0a6ae'>not finished ({status}): not compared</span>", False)
                continue
            if name not in present:
                self._row(str(k), tags.get(name, name), name, "<span style='color:#a0a6ae'>no set for this document</span>", False)
                continue
            version = cluster.version(name)
            signature = frozenset(version.spans) | frozenset(version.relations)
            text = describe_version(version, document, scheme)
            if signature in seen and not version.empty:
                text = f"<span style='color:#6a737d'>same as {escape(seen[signature])}</span>"
            seen.setdefault(signature, name)
            self._row(str(k), tags.get(name, name), name, text, name in chosen)
        self._row("0", "–", "none", "<span style='color:#6a737d'>remove all of it</span>", None in chosen)
        for row in self.rows[self.shown:]:
            row.hide()
        last = min(len(annotators), 9)
        self.hint.setText(f"N / P next / previous conflict · 1–{last} take that version · 0 none · Ctrl+Enter reviewed")

    @staticmethod
    def _chosen_text(chosen: Sequence[str | None]) -> str:
        """What gold says of a cluster, in words: ``bob's version``, ``alice
        and carol's version``, ``none of it (like bob)`` or ``mixed``."""
        names = [c for c in chosen if c is not None]
        who = " and ".join(names[-2:]) if len(names) <= 2 else ", ".join(names[:-1]) + " and " + names[-1]
        if None in chosen:
            return f"none of it (like {who})" if names else "none of it"
        return f"{who}'s version" if names else "mixed"

    def _row(self, key: str, tag: str, name: str, text: str, picked: bool) -> None:
        """Fill the next version row (making it the first time it is needed)."""
        if self.shown == len(self.rows):
            self.rows.append(self._make_row())
            self.grid.addWidget(self.rows[-1], self.shown, 0)
        frame = self.rows[self.shown]
        self.shown += 1
        style = (PICKED_STYLE if picked else PLAIN_STYLE).format(name=f"version_{key}")
        if frame.styleSheet() != style:  # restyling is slow; most rows keep theirs
            frame.setObjectName(f"version_{key}")
            frame.setStyleSheet(style)
        frame.setProperty("picked", picked)
        keycap, who, body = frame.findChildren(QLabel)
        set_plain(keycap, key)
        who.setText(f"<b>{escape(tag)}</b> {escape(name)}{' ✓' if picked else ''}")
        body.setText(text)
        if frame.isHidden():
            frame.show()

    @staticmethod
    def _make_row() -> QFrame:
        frame = QFrame()
        layout = QGridLayout(frame)
        layout.setContentsMargins(6, 5, 6, 5)
        layout.setHorizontalSpacing(8)
        keycap = QLabel("")
        keycap.setObjectName("keycap")
        keycap.setAlignment(Qt.AlignmentFlag.AlignCenter)
        keycap.setFixedWidth(22)
        who = QLabel("")
        who.setTextFormat(Qt.TextFormat.RichText)
        body = QLabel("")
        body.setTextFormat(Qt.TextFormat.RichText)
        body.setWordWrap(True)
        layout.addWidget(keycap, 0, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(who, 0, 1)
        layout.addWidget(body, 1, 1)
        layout.setColumnStretch(1, 1)
        return frame
