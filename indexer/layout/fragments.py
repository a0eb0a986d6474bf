"""Fragments: chunk spans too small to stand alone (a heading, a footnote, a link, page furniture)."""

from __future__ import annotations

import re
from collections.abc import Callable

# (char_start, char_end, kind, section index, part index)
Span = tuple[int, int, str, int | None, int]

FRAGMENT_MAX_WORDS = 8  # fewer real words than this and a span is not a passage on its own
_RESOLVED_MIN_WORDS = 3  # a short decision ("RESOLVED: noted.") still stands alone
_WORD = re.compile(r"(?<![/\w.@])[A-Za-z][A-Za-z'’-]+")  # not inside a link or address


def is_fragment(text: str, kind: str) -> bool:
    """Too few words to be worth a passage of its own."""
    words = _words(text)
    return words < (_RESOLVED_MIN_WORDS if kind == "resolved" else FRAGMENT_MAX_WORDS)


def merge_fragments(
    text: str, spans: list[Span], item_of: Callable[[int | None], int | None], heading_starts: set[int]
) -> list[Span]:
    """Join each fragment to a neighbour in the same part and agenda item (``item_of`` a span's section):
    one that opens with a heading (``heading_starts``) to the text after it, anything else (a footnote,
    a link, a page number) to the text before it. Text with no words at all (a page number, a rule)
    joins its neighbour even across a part. A fragment with no such neighbour stays: no text is lost."""
    merged: list[Span] = []
    pending: Span | None = None  # a heading fragment waiting for the text under it
    for span in spans:
        if pending is not None:
            above_items = pending[4] == span[4] and item_of(pending[3]) is None  # "AGENDA" over item 1
            if (
                _same_group(pending, span, item_of)
                or above_items
                or not _words(text[pending[0] : pending[1]])
            ):
                span = (pending[0], span[1], span[2], span[3], span[4])
            else:
                merged.append(pending)
            pending = None
        fragment = is_fragment(text[span[0] : span[1]], span[2])
        wordless = fragment and not _words(text[span[0] : span[1]])
        if fragment and (span[2] == "heading" or span[0] in heading_starts):
            pending = span
        elif fragment and merged and (wordless or _same_group(merged[-1], span, item_of)):
            previous = merged.pop()
            merged.append((previous[0], span[1], previous[2], previous[3], previous[4]))
        elif fragment and not merged:
            pending = span  # the first span of a document: it can only join what follows
        else:
            merged.append(span)
    if pending is not None:
        if merged and _same_group(merged[-1], pending, item_of):
            previous = merged.pop()
            merged.append((previous[0], pending[1], previous[2], previous[3], previous[4]))
        else:
            merged.append(pending)
    return merged


def _same_group(a: Span, b: Span, item_of: Callable[[int | None], int | None]) -> bool:
    return a[4] == b[4] and item_of(a[3]) == item_of(b[3])


def _words(text: str) -> int:
    return len(_WORD.findall(_without_links(text)))


def _without_links(text: str) -> str:
    return re.sub(r"<?(?:https?://|www\.)\S+>?", " ", text)
