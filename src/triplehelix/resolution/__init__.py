"""Entity resolution: registry import matching, the review queue, merge and undo."""
