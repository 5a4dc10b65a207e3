"""``python -m steppe.cli``: the same command line as the ``steppe`` script."""

from steppe.cli import main

main()
