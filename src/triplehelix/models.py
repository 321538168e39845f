"""Import every feature's models so Alembic and the tests see the whole schema."""

from triplehelix.accounts import models as accounts_models
from triplehelix.directory import models as directory_models
from triplehelix.facilities import models as facilities_models
from triplehelix.marketplace import models as marketplace_models
from triplehelix.resolution import models as resolution_models

__all__ = [
    "accounts_models",
    "directory_models",
    "facilities_models",
    "marketplace_models",
    "resolution_models",
]
