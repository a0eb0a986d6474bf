"""Resolutions as structures: a RESOLVED block's lead-in and its parts (numbered, lettered, roman, bulleted,
nested), read across page breaks, so that each innermost part can be a decision of its own."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.text.spans import Line, is_furniture, plain, sentence_spans, split_lines

# "RESOLVED:", "### **RESOLVED:-**" alone on a line, or "RESOLVED that ..." / "26) RESOLVED that ..." opening one.
_RESOLVED = re.compile(r"^[#\s*]*(?:(?P<number>\d{1,3})[.)]\s+)?\**RESOLVED\b[\s*:\-–]*(?:that\b)?", re.I)
# Part markers: "(a)", "A)", "b.", "(1)", "1.", "2)", "(iv)", "iv.", and bullets.
_MARKER = re.compile(
    r"^\s*(?:\((?P<p>[A-Za-z]|[ivxIVX]{1,5}|\d{1,2})\)|(?P<s>[A-Za-z]|[ivxIVX]{1,5}|\d{1,2})[.)]"
    r"|(?P<bullet>[-•●▪*\uf0b7\uf0a7\uf0d8]))\s+(?=\S)"
)
_PARAGRAPH_NUMBER = re.compile(r"^\s*(\d{1,3})[.)]\s+\S")
_STOP = re.compile(r"^\s*(?:The meeting (?:ended|closed|finished)\b|[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s|<?https?://)", re.I)
_ROMANS = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
_SENTENCE_END = re.compile(r"[.!?;:”\"')\]]\s*$")


@dataclass
class ResolutionPart:
    """One part of a resolution: its span (after its marker), its marker and the lead-ins above it."""

    start: int
    end: int
    marker: str | None
    lead_ins: list[tuple[int, int]] = field(default_factory=list)  # outermost first
    children: list[ResolutionPart] = field(default_factory=list)


@dataclass
class Resolution:
    """A RESOLVED block: where it starts and its innermost parts, in order; a stub has no parts."""

    start: int
    head_end: int  # after "RESOLVED that" / "RESOLVED:": the lead-in of every part begins here
    end: int
    parts: list[ResolutionPart]


def find_resolutions(text: str, start: int, end: int) -> list[Resolution]:
    """Every RESOLVED block between ``start`` and ``end`` (one minute item), with its innermost parts."""
    lines = [line for line in split_lines(text, start, end) if not is_furniture(line)]
    heads = [i for i, line in enumerate(lines) if _RESOLVED.match(line.text)]
    found = []
    for number, head in enumerate(heads):
        stop = heads[number + 1] if number + 1 < len(heads) else len(lines)
        block = _block_lines(lines[head:stop])
        if block:
            found.append(_parse_block(text, block))
    return found


def _block_lines(lines: list[Line]) -> list[Line]:
    """The lines of one block: up to the next numbered paragraph of the minute, or its end."""
    head = _RESOLVED.match(lines[0].text)
    paragraph = int(head.group("number")) if head and head.group("number") else None
    kept = [lines[0]]
    for line in lines[1:]:
        numbered = _PARAGRAPH_NUMBER.match(line.text)
        if paragraph is not None and numbered and int(numbered.group(1)) == paragraph + 1:
            break
        if _STOP.match(line.text):
            break
        kept.append(line)
    while kept and kept[-1].blank:
        kept.pop()
    return kept


def _parse_block(text: str, lines: list[Line]) -> Resolution:
    head = _RESOLVED.match(lines[0].text)
    assert head is not None
    root = ResolutionPart(lines[0].start, lines[-1].end, None)
    levels: list[_Level] = [_Level(root)]
    for start, end, marker in list_entries(text, lines, lines[0].start + head.end()):
        body = plain(text[start:end])
        if not body or re.fullmatch(r"(?:that)?\s*[:\-–]*", body, re.I):
            continue
        part = ResolutionPart(start, end, marker)
        if marker is None:
            del levels[1:]  # an unmarked paragraph stands beside the block's other parts
        else:
            _place(levels, _style(marker, levels), marker)
        levels[-1].parent.children.append(part)
        if marker is not None:
            levels[-1].last = _core(marker)
        if body.endswith(":"):
            levels.append(_Level(part))
    parts: list[ResolutionPart] = []
    _collect_innermost(text, root, [], parts)
    return Resolution(lines[0].start, lines[0].start + head.end(), lines[-1].end, parts)


@dataclass
class _Level:
    """One list of a (possibly nested) resolution: the part it hangs from, its marker style, last marker."""

    parent: ResolutionPart
    style: str | None = None
    last: str | None = None


def _place(levels: list[_Level], style: str, marker: str) -> None:
    """Move to the list a marker belongs to: the deepest open list of its style (closing nested lists
    below it), else the open lead-in's new list."""
    for depth in range(len(levels) - 1, -1, -1):
        if levels[depth].style == style:
            del levels[depth + 1 :]
            return
    top = levels[-1]
    if top.style is None:
        top.style = style
        return
    # Otherwise a new style under a part that did not lead in: markers printed inconsistently, one list.


def _collect_innermost(
    text: str, part: ResolutionPart, lead_ins: list[tuple[int, int]], out: list[ResolutionPart]
) -> None:
    """The leaves of the part tree, each with its chain of lead-ins; a lead-in with nothing under it (a
    stub such as "RESOLVED that:") is dropped."""
    for child in part.children:
        if child.children:
            _collect_innermost(text, child, [*lead_ins, (child.start, child.end)], out)
        elif not plain(text[child.start : child.end]).endswith(":"):
            child.lead_ins = lead_ins
            out.append(child)


def text_without_furniture(text: str, start: int, end: int) -> str:
    """The plain words of a span, without the page numbers and footers a page break put inside it."""
    return plain(" ".join(line.text for line in split_lines(text, start, end) if not is_furniture(line)))


def list_entries(text: str, lines: list[Line], first_start: int) -> list[tuple[int, int, str | None]]:
    """(start, end, marker) of each marked part or unmarked paragraph, joining wrapped lines and lines
    that carry on over a page or column break."""
    entries: list[tuple[int, int, str | None]] = []
    first = text[first_start : lines[0].end].strip()
    if first:
        rest = text[first_start : lines[0].end]
        entries.append((first_start + len(rest) - len(rest.lstrip()), lines[0].end, None))
    gap = False
    for line in lines[1:]:
        if line.blank:
            gap = True
            continue
        marker = _MARKER.match(line.text)
        if marker and line.text.strip() not in {"-", "*"}:
            entries.append((line.start + marker.end(), line.end, marker.group(0).strip()))
        elif entries and (not gap or _carries_on(text, entries[-1], line)):
            entries[-1] = (entries[-1][0], line.end, entries[-1][2])
        else:
            start = line.start + len(line.text) - len(line.text.lstrip())
            entries.append((start, line.end, None))
        gap = False
    return _split_lead_in_sentences(text, entries)


def _carries_on(text: str, previous: tuple[int, int, str | None], line: Line) -> bool:
    """A line after a gap continues the previous entry when that entry stopped mid-sentence or the line
    starts in lower case (a sentence broken over a page)."""
    stripped = line.text.strip()
    return stripped[:1].islower() or not _SENTENCE_END.search(text[previous[0] : previous[1]])


def _split_lead_in_sentences(
    text: str, entries: list[tuple[int, int, str | None]]
) -> list[tuple[int, int, str | None]]:
    """An unmarked paragraph ending in a lead-in ("... was not called in. However, a letter would be sent
    highlighting the following concerns:") is a decision and then the lead-in."""
    out: list[tuple[int, int, str | None]] = []
    for start, end, marker in entries:
        body = text[start:end].rstrip()
        if marker is None and body.endswith(":"):
            spans = sentence_spans(text, start, end)
            if len(spans) > 1:
                out.append((spans[0][0], spans[-2][1], None))
                out.append((spans[-1][0], end, None))
                continue
        out.append((start, end, marker))
    return out


def _core(marker: str) -> str:
    return marker.strip("().").lower()


def _style(marker: str, levels: list[_Level]) -> str:
    """A marker's list style: bullet, digit, letter or roman; "i", "v", "x" after "h", "u", "w" in an open
    lettered list are letters."""
    core = _core(marker)
    if not core.isalnum():
        return "bullet"
    if core.isdigit():
        return "digit"
    for level in levels:
        if level.style == "letter" and level.last and len(core) == 1 and ord(core) == ord(level.last) + 1:
            return "letter"
    if core in _ROMANS:
        return "roman"
    return "letter"
