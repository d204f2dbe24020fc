"""What the document view shows: one document, its annotations and the selection.

The layout planner and the painter both read this one
object, so they never disagree about offsets or the selection.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..core.annotation_index import AnnotationIndex
from ..core.layout import DisplayOffsets, TokenIndex, paragraph_starts
from ..core.model import AnnotationSet, Document
from ..core.scheme import Scheme
from .annotation_style import StyleBook


@dataclass
class ViewState:
    """The document shown, with its indexes, styles and selection."""

    document: Document | None = None
    index: AnnotationIndex | None = None
    offsets: DisplayOffsets = field(default_factory=lambda: DisplayOffsets(""))
    styles: StyleBook = field(default_factory=StyleBook)
    selected_span: int | None = None
    selected_relation: int | None = None
    symmetric: frozenset[str] = frozenset()  # relation types drawn without an arrowhead
    _tokens: TokenIndex | None = field(default=None, repr=False)

    @property
    def tokens(self) -> TokenIndex:
        """Token look-ups, indexed on first use (snapping a selection), not
        before the first paint. Raises ``ValueError`` for tokens that are
        unsorted or overlap."""
        if self._tokens is None:
            self._tokens = TokenIndex(self.document.tokens if self.document is not None else ())
        return self._tokens

    @classmethod
    def build(cls, document: Document, aset: AnnotationSet, scheme: Scheme) -> "ViewState":
        """Index a document and its annotation set (its tokens are indexed on
        first use, see ``tokens``)."""
        index = AnnotationIndex(paragraph_starts(document.text))
        index.reset(aset.spans.values(), aset.relations.values())
        return cls(
            document=document,
            index=index,
            offsets=DisplayOffsets(document.text),
            styles=StyleBook(scheme),
            symmetric=frozenset(rel.name for rel in scheme.relations if rel.symmetric),
        )

    def emphasised_spans(self) -> set[int]:
        """The selected span, and both ends of the selected relation."""
        out = set()
        if self.selected_span is not None:
            out.add(self.selected_span)
        if self.selected_relation is not None and self.index is not None:
            rel = self.index.relation(self.selected_relation)
            if rel is not None:
                out.update((rel.head, rel.child))
        return out

    def paragraphs_of_spans(self, span_ids: set[int]) -> set[int]:
        """Paragraph numbers touched by the given spans (unknown ids are ignored)."""
        out: set[int] = set()
        if self.index is None:
            return out
        for sid in span_ids:
            span = self.index.span(sid)
            if span is not None:
                out.update(self.index.paragraphs_of(span))
        return out
