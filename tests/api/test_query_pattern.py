"""The schema's rule for a query agrees with the API's own emptiness check."""

from __future__ import annotations

import re

import pytest

from api.schemas import QUERY_PATTERN


@pytest.mark.parametrize("text", [" ", "\t\n", "\x1c", "\x1f\x1e", "\u00a0", "\u2003\u3000"])
def test_what_strip_removes_does_not_match_the_query_pattern(text):
    assert not text.strip()
    assert re.search(QUERY_PATTERN, text) is None


@pytest.mark.parametrize("text", ["a", " budget ", "\x1cx", "£"])
def test_a_query_with_a_character_matches(text):
    assert re.search(QUERY_PATTERN, text)
