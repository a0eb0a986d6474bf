"""The hand-checked questions, and where each gold quote lies in the text the indexer reads."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from indexer import (
    PDF_SUFFIXES,
    PROJECT_ROOT,
    Page,
    PageRow,
    document_id_for,
    read_pdf_pages,
    read_text_pages,
)

DATA_DIR = PROJECT_ROOT / "evals" / "data"
# The split is fixed by file, and the rule is this table. `dev` holds the questions rules, weights and
# thresholds are chosen on (the first 154, and 35 near misses written later). `test` holds questions written
# blind, from the papers, before the system ran on them (commit d7d86ca); nothing is ever chosen on them.
SPLIT_FILES = {
    "dev": ("questions_birmingham.jsonl", "questions_kent.jsonl", "questions_dev_nearmiss.jsonl"),
    "test": ("questions_test_birmingham.jsonl", "questions_test_kent.jsonl"),
}
SPLITS = tuple(SPLIT_FILES)
QUESTION_FILES = tuple(name for names in SPLIT_FILES.values() for name in names)
# A page-less stretch of text is judged in buckets of this many characters of the document's text
# (about one printed page of a council report), so it can still be scored at "page" level.
BUCKET_CHARS = 3000


def normalise(text: str) -> str:
    """Collapse every run of white space to one space; the form in which quotes and passages are compared."""
    return " ".join(text.split())


def quote_key(quote: str) -> str:
    """A short stable id for a gold quote's normalised text (copies of one quote share it)."""
    return hashlib.sha256(normalise(quote).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Evidence:
    source: str  # path relative to the corpus folder
    quote: str
    page_number: int | None = None  # 1-based PDF position (PDFs)
    line: int | None = None  # 1-based line the quote starts on (text files)


@dataclass
class Question:
    id: str
    corpus: str
    question: str
    kind: str
    answerable: bool
    answer: str
    evidence: list[Evidence] = field(default_factory=list)
    split: str = "dev"


def split_of_file(path: Path) -> str:
    """The split a question file belongs to: by its name in SPLIT_FILES, else `dev` (a user's own file)."""
    return next((split for split, names in SPLIT_FILES.items() if path.name in names), "dev")


def load_questions(paths: list[Path] | None = None) -> list[Question]:
    """All questions of the given files (default: every bundled file, dev then test), in file order.

    A question's split is its ``"split"`` field, else its file's (``split_of_file``).
    """
    questions: list[Question] = []
    for path in paths or [DATA_DIR / name for name in QUESTION_FILES]:
        file_split = split_of_file(path)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
                evidence = [
                    Evidence(e["source"], e["quote"], e.get("page_number"), e.get("line"))
                    for e in raw["evidence"]
                ]
                questions.append(
                    Question(
                        raw["id"],
                        raw["corpus"],
                        raw["question"],
                        raw["kind"],
                        bool(raw["answerable"]),
                        raw.get("answer", ""),
                        evidence,
                        _split(raw.get("split", file_split)),
                    )
                )
            except (KeyError, TypeError, ValueError) as exc:  # JSONDecodeError is a ValueError
                raise ValueError(f"{path}:{number}: malformed question ({exc})") from exc
    ids = [q.id for q in questions]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate question ids: {', '.join(duplicates)}")
    return questions


def _split(value: object) -> str:
    if value not in SPLITS:
        raise ValueError(f"split {value!r} is not one of {', '.join(SPLITS)}")
    return str(value)


@dataclass
class DocumentText:
    """A corpus file as the indexer reads it: its id, its pages and their joined text."""

    source: str
    document_id: str
    pages: list[Page]

    @cached_property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages)  # exactly as indexer.pipeline joins pages

    @cached_property
    def normalised(self) -> tuple[str, list[int]]:
        """The normalised text, and for each of its characters its offset in ``text``."""
        return _normalised_with_offsets(self.text)

    def page_at(self, char: int) -> Page | None:
        """The page holding a character of the joined text (None for the newline between pages)."""
        for page in self.pages:
            if page.char_start <= char < page.char_end:
                return page
        return None


def read_document(corpus_dir: Path, source: str) -> DocumentText:
    """Read one file with the indexer's own readers, so offsets and pages are the indexed ones."""
    path = corpus_dir / source
    content = path.read_bytes()
    document_id, _ = document_id_for(content)
    # The gold quotes were placed and checked on pypdf's text; a page is the same page with either reader.
    pdf = path.suffix.lower() in PDF_SUFFIXES
    pages = read_pdf_pages(path, text_reader="pypdf")[0] if pdf else read_text_pages(path)
    return DocumentText(source, document_id, pages)


class Corpus:
    """Lazily read corpus files, by source path."""

    def __init__(self, corpus_dir: Path) -> None:
        self.corpus_dir = corpus_dir
        self._documents: dict[str, DocumentText] = {}

    def document(self, source: str) -> DocumentText:
        if source not in self._documents:
            self._documents[source] = read_document(self.corpus_dir, source)
        return self._documents[source]


def span_ids(
    document_id: str, pages: list[PageRow] | list[Page], char_start: int, char_end: int
) -> list[str]:
    """Page-level ids of a stretch of a document's text, in document order.

    A page with a known page number gives ``{document_id}#p{page_number}``; text whose page is unknown
    gives ``{document_id}#c{bucket}``, the BUCKET_CHARS-sized stretch of the document it falls in.
    """
    ids: list[str] = []
    for page in pages:
        start, text, number = (
            (page.char_start, page.text, page.page_number)
            if isinstance(page, Page)
            else (page["char_start"], page["text"], page["page_number"])
        )
        low, high = max(start, char_start), min(start + len(text), char_end)
        if low >= high:
            continue
        if number is not None:
            ids.append(f"{document_id}#p{number}")
        else:
            ids.extend(
                f"{document_id}#c{b}" for b in range(low // BUCKET_CHARS, (high - 1) // BUCKET_CHARS + 1)
            )
    return list(dict.fromkeys(ids))


def _normalised_with_offsets(text: str) -> tuple[str, list[int]]:
    """The normalised text, and for each of its characters the offset it came from in ``text``."""
    chars: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for offset, char in enumerate(text):
        if char.isspace():
            pending_space = bool(chars)
            continue
        if pending_space:
            chars.append(" ")
            offsets.append(offset - 1)
            pending_space = False
        chars.append(char)
        offsets.append(offset)
    return "".join(chars), offsets


@dataclass(frozen=True)
class Location:
    """Where a gold quote lies in its document's joined text, and the page-level id it is judged by."""

    document_id: str
    char_start: int
    char_end: int
    page_id: str
    page_number: int | None
    line: int


def locate_quote(document: DocumentText, quote: str) -> list[Location]:
    """Every occurrence of the (normalised) quote in the document's text, in document order."""
    wanted = normalise(quote)
    if not wanted:
        return []
    text = document.text
    flat, offsets = document.normalised
    found: list[Location] = []
    at = flat.find(wanted)
    while at >= 0:
        start, end = offsets[at], offsets[at + len(wanted) - 1] + 1
        page = document.page_at(start)
        page_number = page.page_number if page else None
        ids = span_ids(document.document_id, document.pages, start, start + 1)
        found.append(
            Location(
                document.document_id,
                start,
                end,
                ids[0] if ids else "",
                page_number,
                text.count("\n", 0, start) + 1,
            )
        )
        at = flat.find(wanted, at + 1)
    return found


def locate_evidence(corpus: Corpus, evidence: Evidence) -> Location | None:
    """The occurrence of a gold quote the evidence points at: on its page (PDF) or starting on its line (text).

    None when the quote is not where the evidence says.
    """
    document = corpus.document(evidence.source)
    for location in locate_quote(document, evidence.quote):
        if evidence.page_number is not None and location.page_number == evidence.page_number:
            return location
        if evidence.page_number is None and evidence.line is not None and location.line == evidence.line:
            return location
    return None
