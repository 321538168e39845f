"""The search engine: lexical, dense and full-text retrieval and their fusion."""
