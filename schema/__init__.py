"""casebook's schema: the case model, its vocabularies, and the validated corpus.

The few verbs other packages use:

- :func:`load_corpus` reads, validates and lints case files into a :class:`Corpus`;
- :class:`Case` is the model; :class:`Problem` an error that knows file and line.
"""

from schema.checks import LoadedCase, LoadedCollection
from schema.models import Case, Collection, DraftCase
from schema.problems import CODES, CaseError, Problem
from schema.validate import Corpus, discover, load_corpus, load_draft

__all__ = [
    "CODES",
    "Case",
    "CaseError",
    "Collection",
    "Corpus",
    "DraftCase",
    "LoadedCase",
    "LoadedCollection",
    "Problem",
    "discover",
    "load_corpus",
    "load_draft",
]
