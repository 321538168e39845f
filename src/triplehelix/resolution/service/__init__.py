"""Entity resolution: matching records, reviewing and merging them."""
