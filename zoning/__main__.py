"""Allow ``python -m zoning``."""

from zoning.cli import main

main()
