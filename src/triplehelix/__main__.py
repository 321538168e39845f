"""Allow `python -m triplehelix`."""

from triplehelix.cli import main

main()
