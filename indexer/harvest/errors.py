"""Harvest errors: each names the URL or folder that failed and why, in words fit for one line of a summary."""

from __future__ import annotations


class HarvestError(Exception):
    """An expected failure of a whole harvest (bad arguments, unusable folder, unreachable site)."""


class FetchError(HarvestError):
    """One URL could not be fetched usefully: the harvest names it in the summary and goes on."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class SiteFormatError(HarvestError):
    """A response was not the ModernGov XML or HTML it should be (so the harvester falls back or reports it)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason
