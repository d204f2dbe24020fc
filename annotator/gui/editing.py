"""Keyboard editing of spans and relations: what each key does to the selection.

The ``EditController`` keeps the selection (a span, a relation, a fresh text
selection, or a relation being drawn), turns keys and clicks into core edits
and pushes them through the document session. It refuses what the scheme
forbids with a message instead of writing something wrong.
"""
from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Callable

from PySide6.QtCore import QObject, QPoint, QTimer, Signal
from PySide6.QtWidgets import QMenu

from ..core import edits
from ..core.model import Relation, Span
from ..core.scheme import RelationType, Scheme
from . import span_ops
from .plain_text import action_text
from .doc_view import DocView
from .session import DocumentSession

DIGITS = "1234567890"


class EditController(QObject):
    """Selection state and the edit behind every editing key.

    Signals:
        selectionChanged(): the selected span or relation changed.
        message(str): a hint or a refusal for the status bar.
    """

    selectionChanged = Signal()
    message = Signal(str)

    def __init__(self, session: DocumentSession, view: DocView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.view = view
        self.span_id: int | None = None
        self.relation_id: int | None = None
        self.pending: tuple[int, int] | None = None
        self._relation_head: int | None = None
        self.relation_target: int | None = None
        self.relation_menu: QMenu | None = None
        view.selectionMade.connect(self.on_text_selected)
        view.spanClicked.connect(self.on_span_clicked)
        view.relationClicked.connect(self.on_relation_clicked)
        view.backgroundClicked.connect(self.clear_selection)
        session.opened.connect(self._on_opened)
        session.changed.connect(self._on_changed)

    # -- state ---------------------------------------------------------------
    @property
    def relation_head(self) -> int | None:
        """The head span of the relation being drawn (the view draws a line
        from it to the mouse), or None."""
        return self._relation_head

    @relation_head.setter
    def relation_head(self, span_id: int | None) -> None:
        self._relation_head = span_id
        self.view.set_link_source(span_id)

    @property
    def scheme(self) -> Scheme:
        return self.session.project.scheme

    @property
    def span(self) -> Span | None:
        aset = self.session.aset
        return aset.spans.get(self.span_id) if aset and self.span_id is not None else None

    @property
    def relation(self) -> Relation | None:
        aset = self.session.aset
        return aset.relations.get(self.relation_id) if aset and self.relation_id is not None else None

    def select_span(self, span_id: int | None, *, scroll: bool = True) -> None:
        """Select a span (None: nothing); drops a relation selection and the text selection."""
        self.span_id = span_id
        self.relation_id = None
        self.pending = None
        self.view.select_relation(None)
        self.view.select_span(span_id)
        if span_id is not None:
            self.view.clear_text_selection()
            if scroll:
                self.view.scroll_to_span(span_id)
        self.selectionChanged.emit()

    def select_relation(self, relation_id: int | None) -> None:
        """Select a relation (None: nothing); drops a span selection and the
        text selection, so the most recent selection is the only one shown."""
        self.relation_id = relation_id
        self.span_id = None
        self.pending = None
        self.view.select_span(None)
        self.view.select_relation(relation_id)
        self.view.clear_text_selection()
        self.selectionChanged.emit()

    def clear_selection(self) -> None:
        self.relation_head = self.relation_target = None
        self.select_span(None)

    def _on_opened(self, _document_id: int) -> None:
        session = self.session
        assert session.document is not None and session.aset is not None
        self.view.set_document(session.document, session.aset, self.scheme)
        self.span_id = self.relation_id = self.pending = None
        self.relation_head = self.relation_target = None
        self.selectionChanged.emit()

    def _on_changed(self) -> None:
        aset = self.session.aset
        if aset is None or self.view.document_model() is None:
            return
        self.view.update_annotations(aset)
        if self.span_id is not None and self.span_id not in aset.spans:
            self.span_id = None
        if self.relation_id is not None and self.relation_id not in aset.relations:
            self.relation_id = None
        if self.relation_head is not None and self.relation_head not in aset.spans:
            self.relation_head = self.relation_target = None
        self.view.select_span(self.relation_target or self.span_id)
        self.view.select_relation(self.relation_id)
        self.selectionChanged.emit()

    # -- view signals ----------------------------------------------------------
    def on_text_selected(self, start: int, end: int) -> None:
        """A mouse or Shift+arrow selection (token-snapped): the next label key makes it a span."""
        self.relation_head = self.relation_target = None
        self.span_id = self.relation_id = None
        self.view.select_span(None)
        self.view.select_relation(None)
        self.pending = (start, end)
        self.selectionChanged.emit()

    def on_span_clicked(self, span_id: int) -> None:
        if self.relation_head is not None:
            self.finish_relation(span_id)
        else:
            self.select_span(span_id, scroll=False)

    def on_relation_clicked(self, relation_id: int) -> None:
        self.relation_head = self.relation_target = None
        self.select_relation(relation_id)

    # -- labels ----------------------------------------------------------------
    def key(self, key: str) -> None:
        """A label key: picks a relation type by number when a relation is
        selected, else labels the text selection or the selected span."""
        if self.relation is not None and key in DIGITS:
            self._retype_by_number(DIGITS.index(key))
            return
        label = self.scheme.label_for_key(key)
        if label is None:
            self.message.emit(f"no label has the key {key}")
            return
        self.apply_label(label.name)

    def handlers(self) -> dict[str, Callable[[], None]]:
        """The span and relation editing commands by action name, shared by
        the labeling and review windows (see ``actions.SPECS``)."""
        return {
            "delete": self.delete,
            "start_left": lambda: self.move_bound("start", -1),
            "start_right": lambda: self.move_bound("start", 1),
            "end_left": lambda: self.move_bound("end", -1),
            "end_right": lambda: self.move_bound("end", 1),
            "next_span": lambda: self.cycle(1),
            "prev_span": lambda: self.cycle(-1),
            "relation": self.start_relation,
            "confirm": self.confirm,
            "cancel": self.cancel,
            "reverse": self.reverse,
            "relation_type": self.choose_relation_type,
            "accept": self.accept,
            "accept_all": self.accept_all,
            "reject": self.reject,
            "reject_all": self.reject_all,
        }

    def apply_label(self, name: str) -> None:
        """Give the text selection (a new span) or the selected span this label."""
        aset = self.session.aset
        if aset is None:
            return
        if self.pending is not None:
            self._create_span(name, *self.pending)
        elif self.span is not None:
            self._relabel(self.span, name)
        else:
            self.message.emit("select some text first (or a span with Tab)")

    def _create_span(self, label: str, start: int, end: int) -> None:
        aset = self.session.aset
        existing = span_ops.span_exists(aset, start, end, label)
        if existing is not None:
            self.message.emit(f"that {label} span is already there")
            self.select_span(existing.id)
            return
        if not self.scheme.allow_overlap:
            other = span_ops.overlapping(aset, start, end)
            if other is not None:
                self.message.emit(f"spans may not overlap in this scheme (it overlaps {other.label} “{self._quote(other)}”)")
                return
        applied = self.session.push(edits.AddSpan(Span(0, start, end, label, "human")))
        if isinstance(applied, edits.AddSpan):
            self.select_span(applied.span.id, scroll=False)

    def _relabel(self, span: Span, label: str) -> None:
        if span.label == label and not span.is_suggestion:
            self.message.emit(f"“{self._quote(span)}” is already {label}")
            return
        self.session.push(edits.UpdateSpan(span, replace(span, label=label, origin="human")))

    # -- span keys ----------------------------------------------------------------
    def delete(self) -> None:
        """Delete the selected relation, or the selected span with its relations."""
        aset = self.session.aset
        if self.relation is not None:
            self.session.push(edits.DeleteRelation(self.relation))
            self.relation_id = None
            self.selectionChanged.emit()
        elif self.span is not None:
            following = span_ops.after_delete(aset, self.span.id)
            if self.session.push(edits.delete_span(aset, self.span.id)) is not None:
                self.select_span(following, scroll=False)
        else:
            self.message.emit("nothing selected to delete")

    def move_bound(self, side: str, step: int) -> None:
        """Move the selected span's ``start`` or ``end`` one token left (-1) or right (+1)."""
        span, document = self.span, self.session.document
        if span is None or document is None:
            self.message.emit("select a span first (Tab or click)")
            return
        tokens = self.view.tokens
        mover = tokens.move_start if side == "start" else tokens.move_end
        bounds = mover(span.start, span.end, step)
        if bounds is None:
            self.message.emit("the span cannot move further that way")
            return
        if span_ops.span_exists(self.session.aset, *bounds, span.label) is not None:
            self.message.emit(f"a {span.label} span with those bounds is already there")
            return
        self.session.push(edits.UpdateSpan(span, replace(span, start=bounds[0], end=bounds[1], origin="human")))

    def cycle(self, step: int) -> None:
        """Tab/Shift+Tab: the next/previous span, or relation target while drawing one."""
        aset = self.session.aset
        if aset is None:
            return
        if self.relation_head is not None:
            self.relation_target = span_ops.cycle_span(aset, self.relation_target, step, skip=self.relation_head)
            if self.relation_target is not None:
                self.view.select_span(self.relation_target)
                self.view.scroll_to_span(self.relation_target)
                head = aset.spans[self.relation_head]
                target = aset.spans[self.relation_target]
                self.message.emit(f"link {head.label} → {target.label} “{self._quote(target)}”? Enter links, Esc cancels")
            return
        current = self.span_id
        if current is None and self.relation is not None:
            current = self.relation.child
        self.select_span(span_ops.cycle_span(aset, current, step))

    # -- suggestions ---------------------------------------------------------------
    def accept(self) -> None:
        """Confirm the selected suggested span or relation and select the next suggestion."""
        self._judge(edits.accept_suggestions, "accepted")

    def reject(self) -> None:
        """Delete the selected suggested span (with its relations) or relation
        and select the next suggestion."""
        self._judge(edits.reject_suggestions, "rejected")

    def _judge(self, factory: Callable, verb: str) -> None:
        aset = self.session.aset
        if aset is None:
            return
        span, rel = self.span, self.relation
        if rel is not None and rel.is_suggestion:
            if self.session.push(factory(aset, relation_ids=[rel.id])) is not None:
                self._select_suggestion(span_ops.next_suggested_relation(self.session.aset, rel.id))
                self.message.emit(f"{verb} {rel.label} relation")
            return
        if span is None or not span.is_suggestion:
            after = span if span is not None or rel is None else aset.spans.get(rel.head)
            following = span_ops.next_suggestion(aset, after)
            if following is None:
                self.message.emit("no suggestions left")
            else:
                self._select_suggestion(following)
                self.message.emit("this is the next suggestion: A accepts, X rejects")
            return
        if self.session.push(factory(aset, [span.id])) is not None:
            self._select_suggestion(span_ops.next_suggestion(self.session.aset, span))
            self.message.emit(f"{verb} {span.label} “{self._quote(span)}”")

    def _select_suggestion(self, item: tuple[str, int] | None) -> None:
        if item is not None and item[0] == "relation":
            self.select_relation(item[1])
        else:
            self.select_span(item[1] if item is not None else None)

    def accept_all(self) -> None:
        self._judge_all(edits.accept_suggestions, "accepted")

    def reject_all(self) -> None:
        self._judge_all(edits.reject_suggestions, "rejected")

    def _judge_all(self, factory: Callable, verb: str) -> None:
        aset = self.session.aset
        if aset is None:
            return
        spans = sum(1 for s in aset.spans.values() if s.is_suggestion)
        rels = sum(1 for r in aset.relations.values() if r.is_suggestion)
        if not spans and not rels:
            self.message.emit("no suggestions left")
            return
        if self.session.push(factory(aset)) is not None:
            parts = [span_ops.count_text(n, noun) for n, noun in ((spans, "span"), (rels, "relation")) if n]
            self.message.emit(f"{verb} {' and '.join(parts)}")

    # -- relations ---------------------------------------------------------------
    def start_relation(self) -> None:
        """R: the selected span becomes the head of a new relation."""
        span = self.span
        if span is None:
            self.message.emit("select the head span first (Tab or click), then press R")
            return
        self.relation_head = span.id
        self.relation_target = None
        self.message.emit(
            f"relation from {span.label} “{self._quote(span)}”: click the other span, "
            "or Tab to it and press Enter (Esc cancels)"
        )

    def confirm(self) -> None:
        """Enter: finish the relation at the span Tab chose."""
        if self.relation_head is not None and self.relation_target is not None:
            self.finish_relation(self.relation_target)

    def cancel(self) -> None:
        """Esc: drop the relation being drawn, else the selection."""
        if self.relation_head is not None:
            head = self.relation_head
            self.relation_head = self.relation_target = None
            self.select_span(head, scroll=False)
            self.message.emit("relation cancelled")
        else:
            self.clear_selection()

    def finish_relation(self, child: int) -> None:
        """Link the pending head to ``child`` with the type the scheme allows;
        a choice of types opens a menu, no allowed type writes nothing."""
        aset, head = self.session.aset, self.relation_head
        if aset is None or head is None:
            return
        if child == head or child not in aset.spans:
            self.message.emit("pick another span as the relation's child")
            return
        types = span_ops.allowed_types(self.scheme, aset, head, child)
        h, c = aset.spans[head], aset.spans[child]
        if not types:
            self.relation_head = self.relation_target = None
            self.select_span(head, scroll=False)
            self.message.emit(f"no relation type allows {h.label} -> {c.label}")
            return
        if len(types) == 1:
            self._add_relation(head, child, types[0].name)
            return
        self.relation_target = child
        self.view.select_span(child)
        self._popup_types(types, c, partial(self._add_relation, head, child), f"{h.label} → {c.label}")

    def _add_relation(self, head: int, child: int, label: str) -> None:
        aset = self.session.aset
        self.relation_head = self.relation_target = None
        if span_ops.duplicate_relation(aset, head, child, label) is not None:
            self.message.emit(f"that {label} relation is already there")
            self.select_span(head, scroll=False)
            return
        applied = self.session.push(edits.AddRelation(Relation(0, head, child, label, "human")))
        if isinstance(applied, edits.AddRelation):
            self.select_relation(applied.relation.id)
        else:
            self.select_span(head, scroll=False)

    def reverse(self) -> None:
        """V: swap head and child of the selected relation, if the scheme allows it."""
        rel, aset = self.relation, self.session.aset
        if rel is None:
            self.message.emit("select a relation first (click its arc or pick it in the list)")
            return
        head, child = aset.spans[rel.child], aset.spans[rel.head]
        kind = self.scheme.relation(rel.label)
        if kind is not None and not kind.accepts(head.label, child.label):
            self.message.emit(f"{rel.label} does not allow {head.label} -> {child.label}")
            return
        if span_ops.duplicate_relation(aset, rel.child, rel.head, rel.label) is not None:
            self.message.emit(f"the reversed {rel.label} relation is already there")
            return
        self.session.push(edits.UpdateRelation(rel, replace(rel, head=rel.child, child=rel.head, origin="human")))

    def choose_relation_type(self) -> None:
        """T: a menu of the types allowed for the selected relation's pair."""
        rel, aset = self.relation, self.session.aset
        if rel is None:
            self.message.emit("select a relation first (click its arc or pick it in the list)")
            return
        types = span_ops.allowed_types(self.scheme, aset, rel.head, rel.child)
        if not types:
            h, c = aset.spans[rel.head], aset.spans[rel.child]
            self.message.emit(f"no relation type allows {h.label} -> {c.label}")
            return
        self._popup_types(types, aset.spans[rel.child], self._retype, "change type")

    def _retype_by_number(self, index: int) -> None:
        rel, aset = self.relation, self.session.aset
        types = span_ops.allowed_types(self.scheme, aset, rel.head, rel.child)
        if index >= len(types):
            self.message.emit(f"{len(types)} relation types fit this pair; press 1 to {len(types)}")
            return
        self._retype(types[index].name)

    def _retype(self, label: str) -> None:
        rel = self.relation
        if rel is None:
            return
        if rel.label == label:
            self.message.emit(f"the selected relation is already {label}")
            return
        if span_ops.duplicate_relation(self.session.aset, rel.head, rel.child, label) is not None:
            self.message.emit(f"that {label} relation is already there")
            return
        self.session.push(edits.UpdateRelation(rel, replace(rel, label=label, origin="human")))

    def _popup_types(self, types: list[RelationType], near: Span, choose: Callable[[str], None], title: str) -> None:
        """A small menu of relation types, chosen by number key or click."""
        if self.relation_menu is not None:
            self.relation_menu.close()
        menu = QMenu(self.view)
        menu.setObjectName("relation_menu")
        header = menu.addAction(action_text(title))
        header.setEnabled(False)
        for i, kind in enumerate(types[: len(DIGITS)]):
            action = menu.addAction(f"&{DIGITS[i]}  {action_text(kind.name)}")
            action.setObjectName(f"relation_type_{kind.name}")
            action.triggered.connect(partial(choose, kind.name))
        menu.aboutToHide.connect(partial(self._menu_closed, menu))
        self.relation_menu = menu
        rect = self.view.offset_rect(near.end)
        point = QPoint(int(rect.left()), int(rect.bottom()) + 4)
        menu.popup(self.view.viewport().mapToGlobal(point))
        self.message.emit(f"{len(types)} relation types fit: press 1 to {min(len(types), len(DIGITS))} (Esc cancels)")

    def _menu_closed(self, menu: QMenu) -> None:
        def forget() -> None:
            if self.relation_menu is menu:
                self.relation_menu = None
            menu.deleteLater()
            if self.relation_head is not None:  # closed without a choice
                head = self.relation_head
                self.relation_head = self.relation_target = None
                self.select_span(head, scroll=False)
                self.message.emit("relation cancelled")
        QTimer.singleShot(0, forget)

    # -- text ------------------------------------------------------------------
    def _quote(self, span: Span) -> str:
        document = self.session.document
        return span_ops.quote(document.text, span) if document else ""
