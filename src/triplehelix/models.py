"""Import every feature's models so Alembic and the tests see the whole schema."""

from triplehelix.directory import models as directory_models

__all__ = ["directory_models"]
