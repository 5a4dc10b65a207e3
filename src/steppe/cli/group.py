"""The ``steppe`` command group itself; each command module registers its commands on it."""

from __future__ import annotations

import logging

import click


@click.group()
@click.version_option(package_name="steppe")
@click.option("-v", "--verbose", is_flag=True, help="Log every step.")
def main(verbose: bool) -> None:
    """Steppe: turn saved pages into a searchable, attributed evidence base."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s %(message)s")
