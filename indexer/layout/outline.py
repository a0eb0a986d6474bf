"""A paper's outline: where each agenda item's paper begins inside a pack, and headings read from layout.

Sections carry a level, so a chunk can name its heading path (item › section › sub-heading):
1 a paper of a pack (an agenda item, where its paper begins), 2 an agenda or minute item, 3 and deeper
numbered or markdown headings, and ``LAYOUT_LEVEL`` a plain line that the layout shows is a heading.
"""

from __future__ import annotations

import re

from indexer.layout.agenda_entries import PAGES, TIME_SLOT, read_entries
from indexer.layout.pack_pages import paper_starts
from indexer.models import ParsedDocument, Part, Section
from indexer.text.spans import plain

PAPER_LEVEL = 1
LAYOUT_LEVEL = 6
_HEADING_MAX_WORDS = 10
_HEADING_MAX_CHARS = 90
_BODY_MIN_WORDS = 8  # the line after a heading reads as text: a sentence, a bullet or a numbered paragraph
# "1.   Introduction and Background" over "1.1 As the minerals ...": a report's numbered heading.
_NUMBERED_HEADING = re.compile(r"^(\d{1,2})\.?\s+([A-Z][A-Za-z0-9 ,&'’()/–-]{2,80}?)\s*$")
_BULLET = re.compile(r"^\s*(?:[-•*▪●]|\(?[a-z0-9ivx]{1,4}[.)])\s+")
_WORD = re.compile(r"[A-Za-z]{3,}")
_LINK = re.compile(r"https?://|www\.|\S+@\S+\.\w")
_SPEAKER = re.compile(r"^(?:I|We|You|They|He|She|It)\b")  # a quoted remark, not a heading


def outline_sections(document: ParsedDocument) -> list[Section]:
    """The document's sections with a pack's papers and the headings its layout shows added, in order."""
    known = {s.char_start for s in document.sections}
    added = [s for s in paper_sections(document) if s.char_start not in known]
    known |= {s.char_start for s in added}
    added += [s for s in layout_headings(document.full_text) if s.char_start not in known]
    return sorted([*document.sections, *added], key=lambda s: (s.char_start, s.level))


def paper_sections(document: ParsedDocument) -> list[Section]:
    """A level-1 section where each agenda item's paper begins, for the items whose start can be found.

    In a text pack, from the agenda's page ranges and the paper's own title (``paper_starts``); in a PDF
    pack, at the first page the agenda gives the item, when that page's printed label agrees.
    """
    entries = read_entries(document)
    if not entries:
        return []
    if document.kind == "text":
        starts = paper_starts(document, entries)
    else:
        by_label = {p.page_label or str(p.page_number): p for p in document.pages}
        starts = {
            position: by_label[str(e.first_page)].char_start
            for position, e in enumerate(entries)
            if e.first_page is not None and e.first_page > 1 and str(e.first_page) in by_label
        }
    agenda_end = max(e.end for e in entries)
    sections = []
    for position, char in sorted(starts.items()):
        entry = entries[position]
        title = plain(TIME_SLOT.sub("", PAGES.sub("", entry.title)), drop_symbols=True).strip(" -–*")
        if char >= agenda_end and title:
            sections.append(Section(char, entry.number, title, PAPER_LEVEL))
    return sections


def layout_headings(text: str) -> list[Section]:
    """Plain lines that read as headings: short, standing alone between blank lines, and followed by text.

    A numbered heading ("3 Financial Implications") followed by its first numbered paragraph ("3.1")
    is a level-3 heading; any other such line is a sub-heading (``LAYOUT_LEVEL``).
    """
    lines = text.split("\n")
    offsets = []
    offset = 0
    for line in lines:
        offsets.append(offset)
        offset += len(line) + 1
    sections = []
    for index, line in enumerate(lines):
        stripped = plain(line, drop_symbols=True)
        if not _heading_shaped(stripped):
            continue
        following = _next_text(lines, index)
        numbered = _NUMBERED_HEADING.match(stripped)
        if numbered:  # a PDF prints it on the line above its first paragraph, with no blank between
            if re.match(rf"{numbered.group(1)}\.1\b", following):
                sections.append(Section(offsets[index], numbered.group(1), numbered.group(2).strip(), 3))
        elif _stands_alone(lines, index) and _reads_as_body(following):
            sections.append(Section(offsets[index], None, stripped, LAYOUT_LEVEL))
    return sections


def _heading_shaped(line: str) -> bool:
    if not line or len(line) > _HEADING_MAX_CHARS or "\t" in line or "|" in line or line.startswith("#"):
        return False
    if _LINK.search(line):  # a footnote's or a page's address is never a heading
        return False
    words = line.split()
    if (
        len(words) > _HEADING_MAX_WORDS
        or not _WORD.search(line)
        or _BULLET.match(line)
        or _SPEAKER.match(line)
    ):
        return False
    # ASCII digits only: a footnote marker ("²") is a digit to str.isdigit, but it opens no heading.
    return line[0].isupper() or (line[0] in "0123456789" and not line.endswith((".", ",", ";")))


def _stands_alone(lines: list[str], index: int) -> bool:
    before = lines[index - 1].strip() if index > 0 else ""
    after = lines[index + 1].strip() if index + 1 < len(lines) else ""
    line = lines[index].strip()
    return not before and not after and not line.endswith((".", ",", ";", ":", ")"))


def _next_text(lines: list[str], index: int) -> str:
    return next((plain(line, drop_symbols=True) for line in lines[index + 1 : index + 4] if line.strip()), "")


def _reads_as_body(line: str) -> bool:
    return len(line.split()) >= _BODY_MIN_WORDS or bool(_BULLET.match(line))


def heading_paths(sections: list[Section]) -> list[list[int]]:
    """For each section, the indexes of the sections it lies under and its own, outermost first."""
    paths: list[list[int]] = []
    stack: list[int] = []
    for index, section in enumerate(sections):
        while stack and sections[stack[-1]].level >= section.level:
            stack.pop()
        stack.append(index)
        paths.append(list(stack))
    return paths


def section_in_part(
    sections: list[Section], paths: list[list[int]], section: int | None, part: Part | None
) -> int | None:
    """The deepest heading over a line that belongs to the line's part: a minute item ends with its
    minutes (the next paper is not part of it), while a pack's paper holds the parts inside it."""
    if section is None:
        return None
    for candidate in reversed(paths[section]):
        if part is None or sections[candidate].char_start >= part.char_start:
            return candidate
        if sections[candidate].level == PAPER_LEVEL:
            return candidate
    return None


def top_item(section: int | None, paths: list[list[int]], sections: list[Section]) -> int | None:
    """The outermost item (level 2 or above) a section lies in: fragments never join across one."""
    if section is None:
        return None
    items = [i for i in paths[section] if sections[i].level <= 2]
    return items[-1] if items else None


def path_titles(sections: list[Section], paths: list[list[int]], section: int | None) -> list[str]:
    if section is None:
        return []
    return [label(sections[i]) for i in paths[section]]


def label(section: Section) -> str:
    return plain(f"{section.number} {section.title}" if section.number else section.title, drop_symbols=True)
