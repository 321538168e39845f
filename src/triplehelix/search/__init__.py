"""Generic lexical + semantic search: features register documents, the engine ranks them."""

from triplehelix.search.documents import Document, DocumentHit, EntityHit
from triplehelix.search.embedder import semantic_available
from triplehelix.search.engine import SearchEngine

__all__ = ["Document", "DocumentHit", "EntityHit", "SearchEngine", "semantic_available"]
