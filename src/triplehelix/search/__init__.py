"""Generic lexical + semantic search: features register documents, the engine ranks them."""

from triplehelix.search.schemas.documents import Document, DocumentHit, EntityHit
from triplehelix.search.service.embedder import semantic_available
from triplehelix.search.service.engine import SearchEngine

__all__ = ["Document", "DocumentHit", "EntityHit", "SearchEngine", "semantic_available"]
