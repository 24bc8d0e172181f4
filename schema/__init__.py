"""casebook's schema: the case model, its vocabularies, and the validated corpus.

The few verbs other packages use:

- :func:`load_corpus` reads, validates and lints case files into a :class:`Corpus`;
- :class:`Case` is the model; :class:`Problem` an error that knows file and line.
"""

from casebook.schema.checks import LoadedCase, LoadedCollection
from casebook.schema.models import Case, Collection, DraftCase
from casebook.schema.problems import CODES, CaseError, Problem
from casebook.schema.validate import Corpus, discover, load_corpus, load_draft

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
