"""Import every feature's models so Alembic and the tests see the whole schema."""

from triplehelix.directory import models as directory_models
from triplehelix.resolution import models as resolution_models

__all__ = ["directory_models", "resolution_models"]
