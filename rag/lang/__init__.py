"""The shared Chinese-language layer: gazetteer, sentence splitter, extractors and vocabulary.

Knowledge is data in rag/lang/data/ (one loader, rag.lang.data); the modules hold general
mechanisms only. Index, ingestion, answering and verification all use these, so a 文号, a figure
or a sentence is read the same way everywhere.
"""

from rag.lang.calendar_cn import month_days
from rag.lang.extract import (
    DateMention,
    DocNumber,
    Figure,
    dates,
    doc_numbers,
    figures,
    own_doc_numbers,
    protected_spans,
    protected_tokens,
    years,
)
from rag.lang.gazetteer import Gazetteer, Place, PlaceMention, gazetteer, load_gazetteer
from rag.lang.normalize import fold_aligned
from rag.lang.sentences import Sentence, split_clauses, split_sentences
from rag.lang.vocab import Vocab, vocab

__all__ = [
    "DateMention",
    "DocNumber",
    "Figure",
    "Gazetteer",
    "Place",
    "PlaceMention",
    "Sentence",
    "Vocab",
    "dates",
    "doc_numbers",
    "figures",
    "fold_aligned",
    "gazetteer",
    "load_gazetteer",
    "month_days",
    "own_doc_numbers",
    "protected_spans",
    "protected_tokens",
    "split_clauses",
    "split_sentences",
    "vocab",
    "years",
]
