"""Loading spaCy pipelines and reading tokens and spans off their Docs.

Pre-annotators are registered by name with versioned registry names
(``annotator.rules.v1``). Any other name is tried as a model folder (for
example one written by ``annotator train``) and then as an installed spaCy
package.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import spacy
from spacy.attrs import IDX, LENGTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc

from ..core import folder_swap
from ..core.errors import PipelineError
from ..core.model import Document, Relation, Span, Token
from ..core.relation_rules import suggest_relations
from ..core.scheme import RelationType
from . import confidence, relations as relation_model  # registers the trained model's components

SPAN_GROUP = "annotator"
BATCH_SIZE = 128

# user-facing name -> (registry name, factory)
_REGISTRY: dict[str, tuple[str, Callable[[str], Language]]] = {}


def register(name: str, registry_name: str) -> Callable[[Callable[[str], Language]], Callable[[str], Language]]:
    """Register a pre-annotator factory ``(language) -> Language`` under ``name``."""

    def wrap(factory: Callable[[str], Language]) -> Callable[[str], Language]:
        _REGISTRY[name] = (registry_name, factory)
        return factory

    return wrap


def registered() -> dict[str, str]:
    """Registered pre-annotator names and their versioned registry names."""
    _load_builtin()
    return {name: reg for name, (reg, _) in sorted(_REGISTRY.items())}


def _load_builtin() -> None:
    if "rules" not in _REGISTRY:
        from .rules import make_rules_pipeline

        register("rules", "annotator.rules.v1")(make_rules_pipeline)


def load_pipeline(name: str, *, language: str = "en") -> Language:
    """The spaCy pipeline for a pre-annotator name, a model folder or a package.

    ``none`` gives the blank tokenizer-only pipeline of ``language``. Raises
    ``PipelineError`` saying which names exist when nothing matches.
    """
    if name in ("none", "blank"):
        return _registered_pipeline("none", language)
    _load_builtin()
    if name in _REGISTRY:
        return _registered_pipeline(name, language)
    path = Path(name)
    folder_swap.settle(path)  # a model folder whose replacement was killed half-way
    if path.is_dir():
        try:
            return spacy.load(path)
        except (OSError, ValueError) as exc:
            raise PipelineError(f"{path} is not a spaCy model folder: {exc}") from None
    try:
        return spacy.load(name)
    except OSError:
        known = ", ".join(sorted(_REGISTRY)) + ", none"
        raise PipelineError(
            f"no pre-annotator {name!r}: use one of {known}, a model folder, "
            "or the name of an installed spaCy pipeline"
        ) from None


# what each language's tokenizer needs that spaCy does not install, and how to do without
_TOKENIZER_PACKAGES = {
    "ja": "SudachiPy (pip install sudachipy sudachidict_core)",
    "th": "PyThaiNLP (pip install pythainlp)",
    "ko": "mecab-ko (or spaCy's rule-based Korean tokenizer)",
    "vi": "pyvi (pip install pyvi)",
}


def blank_pipeline(language: str) -> Language:
    """The tokenizer-only pipeline of ``language``, working offline.

    Chinese (``zh``) segments one character per token (spaCy's ``char``
    segmenter, no jieba or pkuseg model needed). A language whose tokenizer
    needs a package that is not installed (``ja`` needs SudachiPy, ``th``
    PyThaiNLP) or an unknown code raises ``PipelineError`` saying what to
    install, or to use ``zh`` for one token per character.
    """
    try:
        if language == "zh":
            return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
        return spacy.blank(language)
    except ImportError as exc:
        needs = _TOKENIZER_PACKAGES.get(language)
        if needs is None and "E048" in str(exc):
            raise PipelineError(f"spaCy has no language {language!r}; use a code such as 'en', 'de' or 'zh'") from None
        raise PipelineError(
            f"spaCy's {language!r} tokenizer needs {needs or exc}, which is not installed; install it, "
            "or use --language zh to tokenize one character at a time (works offline for any unspaced script)"
        ) from None


@lru_cache(maxsize=8)
def _registered_pipeline(name: str, language: str) -> Language:
    """Built-in pipelines are built once per process: they depend only on the
    shipped pattern files, and ``nlp.pipe`` keeps no state between calls.
    (Model folders are loaded afresh each time, since training rewrites them.)"""
    if name == "none":
        return blank_pipeline(language)
    return _REGISTRY[name][1](language)


def tokenizer_only(nlp: Language) -> bool:
    return not nlp.pipe_names


# Token(start, end, ws) built by C code alone: an import makes a million of them
_token_from_tuple = partial(tuple.__new__, Token)


def doc_tokens(doc: Doc, offset: int = 0) -> list[Token]:
    """The Doc's tokens as character offsets (plus ``offset``) with their trailing whitespace.

    Read as one array (offset, length, space) rather than token by token:
    iterating over a Doc makes a Python object per token, which costs more
    than the tokenizer itself.
    """
    if not len(doc):
        return []
    columns = doc.to_array([IDX, LENGTH, SPACY]).astype("int64")  # uint64 + int would give floats
    starts = columns[:, 0] + offset
    rows = zip(starts.tolist(), (starts + columns[:, 1]).tolist(), columns[:, 2].astype(bool).tolist())
    return list(map(_token_from_tuple, rows))


def doc_spans(doc: Doc, *, origin: str) -> list[Span]:
    """Spans a pipeline found, with file-local ids from 1.

    Reads the ``annotator`` span group when the pipeline fills one (the rules
    pre-annotator does; it may overlap), else ``doc.ents`` plus any span
    categoriser group ``sc`` (with its scores), without duplicates. Entities
    carry the scores of the trained model's ``annotator_scores`` group.
    """
    found: dict[tuple[int, int, str], float | None] = {}
    if confidence.SCORES_KEY in doc.spans:
        group = doc.spans[confidence.SCORES_KEY]
        for sp, score in zip(group, group.attrs.get("scores", [])):
            found[(sp.start_char, sp.end_char, sp.label_)] = round(float(score), 4)
    if SPAN_GROUP in doc.spans:
        for sp in doc.spans[SPAN_GROUP]:
            found.setdefault((sp.start_char, sp.end_char, sp.label_), None)
    else:
        for ent in doc.ents:
            found.setdefault((ent.start_char, ent.end_char, ent.label_), None)
        if "sc" in doc.spans:
            group = doc.spans["sc"]
            scores = group.attrs.get("scores")
            for i, sp in enumerate(group):
                score = float(scores[i]) if scores is not None and i < len(scores) else None
                found[(sp.start_char, sp.end_char, sp.label_)] = score
    ordered = sorted(found.items(), key=lambda kv: (kv[0][0], -kv[0][1], kv[0][2]))
    return [
        Span(i, start, end, label, origin, score)
        for i, ((start, end, label), score) in enumerate(ordered, start=1)
    ]


def document_score(doc: Doc) -> float | None:
    """The trained model's confidence in the whole of ``doc``'s entities, when it gave one."""
    if confidence.SCORES_KEY not in doc.spans:
        return None
    score = doc.spans[confidence.SCORES_KEY].attrs.get("document")
    return None if score is None else round(float(score), 4)


@dataclass
class Analysis:
    """What a pipeline suggests for one text: its tokens, spans and the
    relations between those spans (by span id; empty unless the pipeline
    suggests relations, see :func:`suggests_relations`)."""

    tokens: list[Token]
    spans: list[Span]
    relations: list[Relation] = field(default_factory=list)
    # a trained model's confidence in its spans for the whole text (see confidence.py)
    score: float | None = None


# Pipelines with this component find event triggers, and get role relations.
TRIGGER_FACTORY = "annotator_triggers_v1"


def suggests_relations(nlp: Language) -> bool:
    """Whether ``analyze`` suggests relations for ``nlp``'s spans: true for
    pipelines with the rules' trigger component (the ``rules`` pre-annotator)."""
    return any(nlp.get_pipe_meta(name).factory == TRIGGER_FACTORY for name in nlp.pipe_names)


def analyze(
    nlp: Language,
    texts: Iterable[str],
    *,
    origin: str,
    batch_size: int = BATCH_SIZE,
    relation_types: Sequence[RelationType] = (),
) -> Iterator[Analysis]:
    """Tokens and suggested spans for each text, in order, batched with ``nlp.pipe``.

    A text longer than ``nlp.max_length`` (news archives have them) is run in
    pieces cut after a line break (else a space), so no text is refused and
    memory stays that of one piece; the pieces' tokens and spans are shifted
    back to the text's offsets.

    When ``relation_types`` is given (the project's scheme) and the pipeline
    suggests relations, each analysis also holds the role relations of
    :func:`annotator.core.relation_rules.suggest_relations`, with origin
    ``rule``; otherwise its ``relations`` are empty.
    """
    bare = tokenizer_only(nlp)
    relate = bool(relation_types) and not bare and suggests_relations(nlp)
    limit = nlp.max_length
    pieces = (
        (piece, (index, offset, last, text))
        for index, text in enumerate(texts)
        for offset, piece, last in text_pieces(text, limit)
    )
    learnt = not bare and has_relation_model(nlp)
    tokens: list[Token] = []
    found: list[Span] = []
    learnt_found: list[tuple] = []
    score: float | None = None
    for doc, (_, offset, last, text) in nlp.pipe(pieces, batch_size=batch_size, as_tuples=True):
        tokens.extend(doc_tokens(doc, offset))
        if not bare:
            found.extend(replace(s, start=s.start + offset, end=s.end + offset) for s in doc_spans(doc, origin=origin))
            learnt_found.extend(found_relations(doc, offset))
            piece_score = document_score(doc)
            if piece_score is not None:  # the pieces are parsed apart: all of them right
                score = piece_score if score is None else score * piece_score
        if not last:
            continue
        spans = [replace(s, id=i) for i, s in enumerate(found, start=1)] if offset else found
        if learnt:
            relations = model_relations(learnt_found, spans, origin=origin)
        else:
            relations = suggest_relations(text, spans, relation_types) if relate else []
        yield Analysis(tokens, spans, relations, score)
        tokens, found, learnt_found, score = [], [], [], None


def text_pieces(text: str, limit: int) -> Iterator[tuple[int, str, bool]]:
    """``(offset, piece, is_last)`` covering ``text`` in pieces of at most
    ``limit`` characters, each cut after a line break, else after a space or
    an ideographic full stop, else at the limit. A short text is one piece."""
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = max(window.rfind(sep) for sep in ("\n", " ", "\u3002")) if "\n" not in window else window.rfind("\n")
        end = start + (cut + 1 if cut > 0 else limit)
        yield start, text[start:end], False
        start = end
    yield start, text[start:], True


def has_relation_model(nlp: Language) -> bool:
    """Whether ``nlp`` has the trained relation classifier (``annotator train``)."""
    return any(nlp.get_pipe_meta(name).factory == relation_model.FACTORY for name in nlp.pipe_names)


def found_relations(doc: Doc, offset: int = 0) -> list[tuple]:
    """The relation classifier's findings on a Doc (a piece of a text at ``offset``),
    as ``((start, end, label), (start, end, label), type, score)`` in the text's offsets."""
    out = []
    for (hs, he, hl), (cs, ce, cl), label, score in doc.user_data.get(relation_model.USER_DATA_KEY, ()):
        out.append(((hs + offset, he + offset, hl), (cs + offset, ce + offset, cl), label, score))
    return out


def model_relations(found: Iterable[tuple], spans: Sequence[Span], *, origin: str) -> list[Relation]:
    """The relations the trained relation classifier found, between ``spans``
    (by id), with the classifier's probability in ``attrs["score"]``."""
    ids = {(s.start, s.end, s.label): s.id for s in spans}
    out = []
    for head, child, label, score in found:
        h, c = ids.get(tuple(head)), ids.get(tuple(child))
        if h is not None and c is not None:
            out.append(Relation(len(out) + 1, h, c, label, origin, {"score": round(float(score), 4)}))
    return out


def analyze_documents(
    nlp: Language, documents: Sequence[Document], *, origin: str, batch_size: int = BATCH_SIZE
) -> Iterator[Analysis]:
    """Suggestions for stored documents, run on their stored tokens (so the
    spans always fall on token boundaries), in order."""
    from .docbin import words_and_spaces

    def docs() -> Iterator[Doc]:
        for document in documents:
            words, spaces = words_and_spaces(document.text, document.tokens)
            yield Doc(nlp.vocab, words=words, spaces=spaces)

    for doc in nlp.pipe(docs(), batch_size=batch_size):
        spans = doc_spans(doc, origin=origin)
        yield Analysis(doc_tokens(doc), spans, model_relations(found_relations(doc), spans, origin=origin), document_score(doc))
