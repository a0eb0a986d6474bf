"""Split a parsed document into chunks along its structure: sections, RESOLVED blocks and tables.

Pure functions: given pages, parts, sections and a token counter, return chunks. Every chunk's text is
a verbatim span of the document, so a citation's quote can always be found on its page.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from indexer.layout.fragments import Span, is_fragment, merge_fragments
from indexer.layout.outline import heading_paths, path_titles, section_in_part, top_item
from indexer.models import Chunk, DocumentMeta, Page, Part, Section
from indexer.reading.text import PAGE_FOOTER
from indexer.text.spans import plain

TokenCounter = Callable[[str], int]
SECTION_SEPARATOR = " › "

_RESOLVED = re.compile(r"^[\s*#]*(RESOLVED|AGREED|DECISION)\b", re.IGNORECASE)
_TABLE_LINE = re.compile(r"\t|^\s*\|")
_BOILERPLATE_LINE = re.compile(r"^\s*(this page is intentionally left blank|page \d+)\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")
# A line that stops on a comma, a dash or a lower-case word stops mid-sentence: the next line carries on.
_MID_SENTENCE = re.compile(r"[,a-z\-–—]\s*$")
_CONTEXT_MAX_CHARS = 200


@dataclass
class Block:
    """A run of lines that belong together: a paragraph, a heading, a table or a RESOLVED line."""

    char_start: int
    char_end: int
    kind: str  # text, heading, resolved, table
    section: int | None  # index into sections
    part: int
    page: int  # index into pages


def chunk_document(
    document_id: str,
    meta: DocumentMeta,
    pages: list[Page],
    parts: list[Part],
    sections: list[Section],
    count_tokens: TokenCounter,
    target_tokens: int,
    max_tokens: int,
) -> list[Chunk]:
    """Chunks that never cross a part or item boundary and whose embedded text fits ``max_tokens``.

    A chunk that would be only a heading, a footnote, a link or page furniture joins its neighbour.
    """
    text = "\n".join(p.text for p in pages)
    paths = heading_paths(sections)
    blocks = _blocks(text, pages, parts, sections, paths)
    spans = _group_blocks(text, blocks, count_tokens, target_tokens)
    spans = merge_fragments(
        text, spans, lambda s: top_item(s, paths, sections), {s.char_start for s in sections}
    )
    chunks: list[Chunk] = []
    page_starts = [p.char_start for p in pages]
    for span_start, span_end, kind, section_index, part_index in spans:
        part = parts[part_index] if parts else None
        path = path_titles(sections, paths, section_index)
        context = _context(meta, part, path)
        # A table split over several chunks repeats its header row in each, so a row keeps its meaning.
        lines = text[span_start:span_end].strip().split("\n") if kind == "table" else []
        header = next((line for line in lines if _TABLE_LINE.search(line)), "")  # under any heading
        budget = max(max_tokens - count_tokens(f"{context}\n{header}") - 2, max_tokens // 2)
        for start, end in _split_span(text, span_start, span_end, count_tokens, budget):
            chunk_context = f"{context}\n{header}" if header and start > span_start else context
            chunk = _make_chunk(
                document_id,
                len(chunks),
                text,
                start,
                end,
                kind,
                meta,
                pages,
                page_starts,
                part,
                sections,
                section_index,
                chunk_context,
                count_tokens,
                max_tokens,
            )
            chunk.section = SECTION_SEPARATOR.join(path) or None
            chunks.append(chunk)
    return chunks


def _blocks(
    text: str, pages: list[Page], parts: list[Part], sections: list[Section], paths: list[list[int]]
) -> list[Block]:
    """Group lines into blocks. Blocks never cross a page, part or section boundary."""
    section_starts = [s.char_start for s in sections]
    part_starts = [p.char_start for p in parts]
    blocks: list[Block] = []
    for page_position, page in enumerate(pages):
        offset = page.char_start
        current: Block | None = None
        for line in page.text.split("\n"):
            line_start, line_end = offset, offset + len(line)
            offset = line_end + 1
            if not line.strip() or PAGE_FOOTER.match(line) or _BOILERPLATE_LINE.match(line):
                current = None
                continue
            section = bisect.bisect_right(section_starts, line_start) - 1 if sections else None
            section = section if section is not None and section >= 0 else None
            part = max(bisect.bisect_right(part_starts, line_start) - 1, 0)
            section = section_in_part(sections, paths, section, parts[part] if parts else None)
            is_heading = section is not None and sections[section].char_start == line_start
            kind = (
                "heading"
                if is_heading
                else "resolved"
                if _RESOLVED.match(line) and not _carries_on(text, current)
                else "table"
                if _TABLE_LINE.search(line)
                else "text"
            )
            continues = (
                current is not None
                and kind == current.kind
                and kind in ("text", "table")
                and current.section == section
                and current.part == part
            )
            if continues and current is not None:
                current.char_end = line_end
            else:
                current = Block(line_start, line_end, kind, section, part, page_position)
                blocks.append(current)
    return blocks


def _carries_on(text: str, current: Block | None) -> bool:
    """A line opening with "Resolved", "Agreed" or "Decision" starts no RESOLVED block when the paragraph
    before it, with no gap, stopped mid-sentence ("... by County Council, of" / "Decision 24/00093 ...")."""
    if current is None or current.kind != "text":
        return False
    tail = text[max(current.char_start, current.char_end - 40) : current.char_end]
    return _MID_SENTENCE.search(tail) is not None


def _group_blocks(
    text: str, blocks: list[Block], count_tokens: TokenCounter, target_tokens: int
) -> list[Span]:
    """Merge blocks into chunk spans: a new span at each section, part, table edge or RESOLVED line."""
    spans: list[Span] = []
    start = end = 0
    kind = ""
    section: int | None = None
    part = -1
    page = -1
    tokens = 0
    open_span = False
    for block in blocks:
        block_tokens = count_tokens(text[block.char_start : block.char_end])
        new_span = (
            not open_span
            or block.section != section
            or block.part != part
            or (block.page != page and kind != "heading")  # a chunk cites one page where it can
            or block.kind == "resolved"
            or (block.kind == "table") != (kind == "table")
            or (tokens + block_tokens > target_tokens and kind != "heading")
        )
        if new_span:
            if open_span:
                spans.append((start, end, kind, section, part))
            start, kind, section, part, tokens = block.char_start, block.kind, block.section, block.part, 0
            page = block.page
            open_span = True
        elif kind == "heading":
            kind = block.kind  # a heading opens the chunk of the text under it
        end = block.char_end
        tokens += block_tokens
    if open_span:
        spans.append((start, end, kind, section, part))
    return spans


def _context(meta: DocumentMeta, part: Part | None, path: list[str]) -> str:
    """What a chunk is about, prefixed to its embedded text: the document, the part (minutes inside a
    pack) and the heading path."""
    names = [meta.title]
    if part is not None and part.title and part.title != meta.title:
        names.append(part.title)
    if path:
        names.append(SECTION_SEPARATOR.join(path))
    return plain(" | ".join(names), drop_symbols=True)[:_CONTEXT_MAX_CHARS]


def _split_span(
    text: str, start: int, end: int, count_tokens: TokenCounter, budget: int
) -> list[tuple[int, int]]:
    if count_tokens(text[start:end]) <= budget:
        return [(start, end)]
    # Prefer line breaks, then sentence ends, then spaces, as split points near the middle; a line break
    # that would leave a heading or another fragment alone on one side is no split point.
    piece = text[start:end]
    for pattern in (re.compile(r"\n"), _SENTENCE_END, re.compile(r"\s+")):
        middle = len(piece) / 2
        cuts = sorted(
            (m.end() for m in pattern.finditer(piece) if 0 < m.end() < len(piece)),
            key=lambda c: abs(c - middle),
        )
        if pattern.pattern == r"\n":
            cuts = [c for c in cuts if not (is_fragment(piece[:c], "text") or is_fragment(piece[c:], "text"))]
        if cuts:
            cut = cuts[0]
            left = _split_span(text, start, start + cut, count_tokens, budget)
            right = _split_span(text, start + cut, end, count_tokens, budget)
            return left + right
    # One unbroken token run longer than the window: cut by characters.
    half = (end - start) // 2
    return _split_span(text, start, start + half, count_tokens, budget) + _split_span(
        text, start + half, end, count_tokens, budget
    )


def _make_chunk(
    document_id: str,
    position: int,
    text: str,
    start: int,
    end: int,
    kind: str,
    meta: DocumentMeta,
    pages: list[Page],
    page_starts: list[int],
    part: Part | None,
    sections: list[Section],
    section_index: int | None,
    context: str,
    count_tokens: TokenCounter,
    max_tokens: int,
) -> Chunk:
    # Trim surrounding white space so the span is exactly the quoted text.
    raw = text[start:end]
    start += len(raw) - len(raw.lstrip())
    end -= len(raw) - len(raw.rstrip())
    body = text[start:end]
    first_page = pages[bisect.bisect_right(page_starts, start) - 1]
    last_page = pages[bisect.bisect_right(page_starts, max(end - 1, start)) - 1]
    section = sections[section_index] if section_index is not None else None
    embed_text = f"{context}\n{body}"
    line_start = _line_of(text, start, first_page)
    line_end = _line_of(text, max(end - 1, start), last_page)
    tokens = count_tokens(embed_text)
    if tokens > max_tokens:  # the context is dropped rather than the passage
        embed_text, tokens = body, count_tokens(body)
    return Chunk(
        chunk_id=f"{document_id}-{position:04d}",
        document_id=document_id,
        position=position,
        text=body,
        embed_text=embed_text,
        char_start=start,
        char_end=end,
        page_start=first_page.page_number,
        page_end=last_page.page_number,
        page_label_start=first_page.page_label,
        page_label_end=last_page.page_label,
        line_start=line_start,
        line_end=line_end,
        section=(f"{section.number} {section.title}" if section and section.number else section.title)
        if section
        else None,
        section_number=section.number if section else None,
        part_title=part.title if part else None,
        doc_type=part.doc_type if part else meta.doc_type,
        meeting_date=part.meeting_date if part else meta.meeting_date,
        token_count=tokens,
        kind=kind if kind != "heading" else "text",
    )


def _line_of(text: str, char: int, page: Page) -> int | None:
    """1-based line in the source file, for text documents (PDF pages have no file lines)."""
    if page.line_start is None:
        return None
    return page.line_start + text.count("\n", page.char_start, char)


def chunk_fixed_size(
    document_id: str,
    meta: DocumentMeta,
    pages: list[Page],
    count_tokens: TokenCounter,
    max_tokens: int,
    chunk_words: int = 150,
    overlap_words: int = 30,
) -> list[Chunk]:
    """The baseline most peers use: fixed windows of words, blind to structure (kept for evaluation)."""
    text = "\n".join(p.text for p in pages)
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    page_starts = [p.char_start for p in pages]
    chunks: list[Chunk] = []
    step = max(chunk_words - overlap_words, 1)
    for first in range(0, len(words), step):
        window = words[first : first + chunk_words]
        if not window:
            break
        for start, end in _split_span(text, window[0][0], window[-1][1], count_tokens, max_tokens - 2):
            part = Part(start, end, meta.doc_type, meta.title, meta.meeting_date)
            chunk = _make_chunk(
                document_id,
                len(chunks),
                text,
                start,
                end,
                "text",
                meta,
                pages,
                page_starts,
                part,
                [],
                None,
                "",
                count_tokens,
                max_tokens,
            )
            chunk.embed_text = chunk.text
            chunks.append(chunk)
        if first + chunk_words >= len(words):
            break
    return chunks
