"""Harvest a council's committee papers from its ModernGov site into a folder the indexer reads (issue 14).

``python -m indexer.harvest BASE_URL FOLDER`` is the command line; ``harvest(HarvestOptions(...), client)``
the same from Python.
"""

from indexer.harvest.client import PoliteClient
from indexer.harvest.errors import FetchError, HarvestError
from indexer.harvest.harvester import HarvestOptions, harvest
from indexer.harvest.report import HarvestReport, Problem

__all__ = [
    "FetchError",
    "HarvestError",
    "HarvestOptions",
    "HarvestReport",
    "PoliteClient",
    "Problem",
    "harvest",
]
