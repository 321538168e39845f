"""triplehelix: the platform that runs a regional innovation ecosystem."""

__version__ = "0.1.0"
