"""What the search engine works on: documents, hits and the text analyser."""
