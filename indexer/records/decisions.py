"""Decisions in minutes: each part of a RESOLVED block, votes on motions and amendments, and agreements
and notings told in the narrative."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.layout.minutes import MinuteItem
from indexer.layout.resolutions import Resolution, find_resolutions, text_without_furniture
from indexer.records.motions import VOTE_STATEMENT, find_votes
from indexer.text.spans import PageIndex, Paragraph, paragraphs, plain, sentence_spans, split_lines

_RESOLVED_INLINE = re.compile(r"\bRESOLVED\b\s*(?:that\b|:)")
_RESOLVED_HEADING = re.compile(r"^RESOLVED[\s:\-–]*$")
_BULLET = re.compile(r"^\s*(?:[-•●▪\uf0b7\uf0a7*]|\uf0d8)\s*")
_NOTING = re.compile(
    r"\b(?:noted|note|notes(?=\s+(?:that|the)\b))\b", re.IGNORECASE
)  # "action notes" is no noting
_RECOMMENDING = re.compile(r"^(?:that\s+)?(?:[\w']+\s+){0,4}?recommends?\b", re.IGNORECASE)
# "(by a vote of 7 votes to 2, with one abstention)" inside a resolution.
_VOTE_IN_WORDS = re.compile(
    r"\bby\s+a\s+vote\s+of\s+(?P<for>\w+)\s+(?:votes\s+)?to\s+(?P<against>\w+)"
    r"(?:,?\s+with\s+(?P<abstain>\w+)\s+abstentions?)?",
    re.I,
)
_NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    )
}

# Agreements and notings told in the narrative of a minute rather than under RESOLVED.
_AGREED = re.compile(
    r"\bit was (?:further |also |then )?agreed\b|\bthe (?:committee|cabinet|council|meeting) "
    r"(?:then |also |further )?agreed\b|^(?:members|councillors) (?:then |also )?agreed\b",
    re.IGNORECASE,
)
_BARE_AGREEMENT = re.compile(
    r"^\W*(?:unanimously|nem\.?\s*con\.?|by\s+(?:a\s+)?(?:majority|\w+\s+votes?\s+to\s+\w+))?\W*$", re.I
)
_ANAPHORIC_AGREEMENT = re.compile(r"\bagreed (?:to|with) (?:this|that|the suggestion)\s*\.?\s*$", re.I)
_REPORTED_ELSEWHERE = re.compile(
    r"^\s*At (?:that|the|a) (?:meeting|[\w ]{0,40}?(?:committee|board|council))\b", re.I
)
_NARRATIVE_NOTED = re.compile(
    r"^(?:Members|The Committee|The Cabinet|Cabinet|The Council|Council)\s+(?:also\s+)?noted\b"
    r"|^The [\w ,'’-]{1,60}? (?:was|were) noted\b"
)


@dataclass
class Found:
    """A decision found in the text, before it becomes a record."""

    start: int
    end: int
    kind: str
    item: MinuteItem
    outcome: str | None = None
    motion: str | None = None
    votes: dict[str, int] | None = None
    text: str | None = None  # the decision as a sentence (a part joined to its lead-in)


def find_decisions(index: PageIndex, items: list[MinuteItem]) -> list[Found]:
    """Every decision in the given minute items, in text order; overlapping finds are kept once."""
    found: list[Found] = []
    for item in items:
        if item.procedural:
            continue
        pars = paragraphs(split_lines(index.text, item.body_start, item.char_end))
        resolutions = find_resolutions(index.text, item.body_start, item.char_end)
        votes = [
            Found(v.start, v.end, v.kind, item, v.outcome, v.motion, v.votes, v.text)
            for v in find_votes(index.text, item, pars)
        ]
        parts = [f for r in resolutions for f in _part_finds(index.text, item, r)]
        blocks = [(r.start, r.end) for r in resolutions]
        narrative = _narrative_finds(index.text, item, pars, blocks)
        found.extend([*votes, *_without_overlaps([*parts, *narrative], votes)])
    return sorted(found, key=lambda f: f.start)


def _without_overlaps(finds: list[Found], votes: list[Found]) -> list[Found]:
    """Keep finds in priority order, dropping any that overlap one already kept or a vote. Votes may
    overlap each other: a substantive motion holds the part its carried amendment added."""
    kept: list[Found] = []
    for candidate in finds:
        if all(candidate.end <= k.start or candidate.start >= k.end for k in [*votes, *kept]):
            kept.append(candidate)
    return kept


def _part_finds(text: str, item: MinuteItem, resolution: Resolution) -> list[Found]:
    """Each innermost part of a resolution is a decision, read with the block's lead-ins."""
    head = plain(text[resolution.start : resolution.head_end])
    head = re.sub(r"^\d{1,3}[.)]\s*", "", head).rstrip(" :-–")
    finds = []
    for part in resolution.parts:
        body = text_without_furniture(text, part.start, part.end).rstrip(" ;")
        body = re.sub(r"[;,]?\s*(?:and|or)$", "", body).rstrip(" ;,")
        lead = " ".join(plain(text[s:e]).rstrip(" :-–") for s, e in part.lead_ins)
        sentence = _join(head, lead, body)
        outcome, votes = _vote_in_words(body)
        finds.append(Found(part.start, part.end, _kind_of(body), item, outcome, None, votes, sentence))
    return finds


def _join(head: str, lead: str, body: str) -> str:
    """ "RESOLVED that" + "Cabinet agree to" + "Note the ..." -> "RESOLVED that Cabinet agree to note the ..."."""
    prefix = "RESOLVED:" if head.upper() == "RESOLVED" else head
    if lead and re.search(r"\bfollowing\b", lead):  # "... highlighting the following concerns: ..."
        sentence = f"{prefix} {lead}: {body}"
    elif lead and not body[:2].isupper():
        sentence = f"{prefix} {lead} {body[:1].lower()}{body[1:]}"
    else:
        sentence = " ".join(w for w in (prefix, lead, body) if w)
    return sentence if sentence.endswith((".", "!", "?")) else f"{sentence}."


def _vote_in_words(body: str) -> tuple[str | None, dict[str, int] | None]:
    match = _VOTE_IN_WORDS.search(body)
    if not match:
        return None, None
    counts = {k: _count(v) for k, v in match.groupdict().items() if v}
    if any(v is None for v in counts.values()):
        return None, None
    votes = {k: v for k, v in counts.items() if v is not None}
    return ("carried" if votes["for"] > votes["against"] else "lost"), votes


def _count(word: str) -> int | None:
    return int(word) if word.isdigit() else _NUMBER_WORDS.get(word.lower())


def _kind_of(resolution: str) -> str:
    """noted when the first clause notes something; recommended when it recommends; else resolved."""
    body = re.sub(r"^RESOLVED\s+(?:that\s+)?", "", resolution.strip(), flags=re.IGNORECASE)
    first_clause = re.split(r",|;| and |:", body, maxsplit=1)[0]
    if _NOTING.search(first_clause):
        return "noted"
    if _RECOMMENDING.search(body):
        return "recommended"
    return "resolved"


# --- Agreements and notings in the narrative ----------------------------------------------------------------


def _narrative_finds(
    text: str, item: MinuteItem, pars: list[Paragraph], blocks: list[tuple[int, int]]
) -> list[Found]:
    finds: list[Found] = []
    for paragraph in pars:
        if any(start <= paragraph.start < end for start, end in blocks):
            continue
        first = paragraph.lines[0].text
        if _BULLET.match(first) or _RESOLVED_HEADING.match(plain(first)):
            continue
        spans = sentence_spans(text, paragraph.start, paragraph.end)
        for number, (start, end) in enumerate(spans):
            sentence = plain(text[start:end])
            if _REPORTED_ELSEWHERE.match(sentence) or VOTE_STATEMENT.search(sentence):
                continue
            agreed = _AGREED.search(sentence)
            if agreed and not _RESOLVED_INLINE.search(sentence):
                if _BARE_AGREEMENT.match(sentence[agreed.end() :]) and sentence.startswith(agreed.group(0)):
                    continue  # "It was agreed unanimously." names nothing: an outcome line, not a decision
                if _ANAPHORIC_AGREEMENT.search(sentence) and number > 0:
                    start = spans[number - 1][0]  # "The Committee agreed to this." needs what "this" is
                elif agreed.start() > 0 and re.search(r"\bit was\b", agreed.group(0), re.IGNORECASE):
                    start = _offset_of(text, start, end, agreed.group(0))
                finds.append(Found(start, end, "agreed", item))
            elif number == 0 and _NARRATIVE_NOTED.match(sentence):
                finds.append(Found(start, end, "noted", item))
    return finds


def _offset_of(text: str, start: int, end: int, phrase: str) -> int:
    """Where ``phrase`` (matched in the plain sentence) begins in the raw text, or ``start``."""
    found = re.search(r"\s+".join(map(re.escape, phrase.split())), text[start:end], re.IGNORECASE)
    return start + found.start() if found else start
