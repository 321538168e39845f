"""The taxonomy as data: schemes of codes with labels and synonyms, loaded from taxonomy.json."""

from triplehelix.taxonomy.schemas import Taxonomy, Term, get_taxonomy

__all__ = ["Taxonomy", "Term", "get_taxonomy"]
