"""The region model: the gazetteer (places -> municipalities), in-region marking and the scope
that every count goes through."""
