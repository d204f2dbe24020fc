"""A confidence for each entity spaCy's greedy NER finds.

spaCy's ``ner`` gives no score per entity. The ``annotator_ner_scores_v1``
component runs the same trained model once more as a beam search (width
:data:`BEAM_WIDTH`) and scores each entity the greedy pass found by the
probability mass of the beam's parses that contain it (spaCy's
``EntityRecognizer.scored_ents``): 1.0 when every parse in the beam agrees,
lower when the model weighed other readings; 0.0 when no parse in the beam
has it. The scores go to ``doc.spans["annotator_scores"]`` with the
entities, in ``attrs["scores"]``.

The same beam scores the document as a whole: ``attrs["document"]`` is the
share of the beam's probability held by its most likely parse. Unlike the
entity scores it also falls when the model weighed entities it did not
suggest, which is what "most uncertain first" orders by (a document where the
model found nothing is not thereby sure).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import minibatch

FACTORY = "annotator_ner_scores_v1"
SCORES_KEY = "annotator_scores"
BEAM_WIDTH = 8


class NerScores:
    """Scores the entities the ``ner`` component set (see the module docstring)."""

    def __init__(self, nlp: Language, name: str, ner: str, beam_width: int) -> None:
        self.nlp = nlp
        self.name = name
        self.ner = ner
        self.beam_width = beam_width

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        ner = self.nlp.get_pipe(self.ner)
        for batch in minibatch(docs, size=batch_size):
            filled = [doc for doc in batch if len(doc)]
            beams = ner.beam_parse(filled, beam_width=self.beam_width) if filled else []
            for doc, beam in zip(filled, beams):
                parses = ner.moves.get_beam_parses(beam)  # (probability, entities) per parse
                scores: dict[tuple[int, int, str], float] = defaultdict(float)
                for probability, entities in parses:
                    for entity in entities:
                        scores[entity] += probability
                ents = list(doc.ents)
                doc.spans[SCORES_KEY] = ents
                group = doc.spans[SCORES_KEY]
                group.attrs["scores"] = [min(1.0, float(scores.get((e.start, e.end, e.label_), 0.0))) for e in ents]
                group.attrs["document"] = min(1.0, max((float(p) for p, _ in parses), default=1.0))
            yield from batch


@Language.factory(FACTORY, default_config={"ner": "ner", "beam_width": BEAM_WIDTH})
def make_ner_scores(nlp: Language, name: str, ner: str, beam_width: int) -> NerScores:
    return NerScores(nlp, name, ner, beam_width)
