"""Decisions in minutes: RESOLVED blocks and their bullets, notings, agreements and votes on motions."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.layout.minutes import MinuteItem
from indexer.text.spans import (
    Line,
    PageIndex,
    Paragraph,
    bullet_entries,
    paragraphs,
    plain,
    sentence_spans,
    split_lines,
)

# "RESOLVED:", "### **RESOLVED:-**", "RESOLVED**:-" on a line of their own (Birmingham).
_RESOLVED_HEADING = re.compile(r"^RESOLVED[\s:\-–]*$")
# "RESOLVED that ..." or "RESOLVED:" opening a paragraph, after an optional paragraph number (Kent).
_RESOLVED_INLINE = re.compile(r"\bRESOLVED\b\s*(?:that\b|:)")
_BULLET = re.compile(r"^\s*(?:[-•●▪\uf0b7\uf0a7*]|\uf0d8)\s*")
# "(a)", "A)", "b)", "(1)", "(iv)" opening a line of an enumerated resolution.
_ENUMERATOR = re.compile(r"^\s*\(?([A-Za-z]|[ivx]{1,4}|\d{1,2})\)\s+")
_PARAGRAPH_NUMBER = re.compile(r"^\s*\d{1,3}[.)]\s+")
_FOOTNOTE = re.compile(r"^\s*(?:[¹²³⁴⁵⁶⁷⁸⁹⁰]+\s|<?https?://)")
# A lead-in naming the list that follows as its own content: "... highlighting the following concerns:".
_CONTENT_LEAD_IN = re.compile(r"\bthe following (?!(?:was|were|is|are|be|has|have)\b)[a-z]+\s*:\s*$", re.I)
_NOTING_LEAD_IN = re.compile(r"\b(?:was|were|be)\s+noted\b|^noted\b", re.IGNORECASE)
_NOTING = re.compile(
    r"\b(?:noted|note|notes(?=\s+(?:that|the)\b))\b", re.IGNORECASE
)  # "action notes" is no noting
_RECOMMENDING = re.compile(r"^(?:that\s+)?(?:[\w']+\s+){0,4}?recommends?\b", re.IGNORECASE)
_HOWEVER = re.compile(r"^\s*However,", re.IGNORECASE)

# Votes on motions and amendments.
_OUTCOME_LINE = re.compile(
    r"^(?:(?:the\s+)?(?P<subject>substantive\s+motion|original\s+motion|amendment|motion)\s+(?:was\s+)?"
    r"(?P<verb>carried|lost|agreed|defeated|fell|withdrawn)|(?P<bare>agreed|carried|lost)"
    r"(?P<how>\s+unanimously|\s+nem\.?\s*con\.?)?)\s*\.?\s*$",
    re.IGNORECASE,
)
_VOTE_STATEMENT = re.compile(
    r"\bput\s+the\s+(?P<subject>substantive\s+motion|original\s+motion|amendment|motion)\b.*?\bto\s+the\s+vote\b",
    re.I | re.S,
)
_INLINE_VOTE_OUTCOME = re.compile(
    r"\bto\s+the\s+vote\s+and\s+(?:it\s+was|was)\s+(?P<verb>agreed|carried|lost|defeated)\b", re.IGNORECASE
)
_TALLY = re.compile(r"^\s*(For|Against|Abstain(?:ed|ing|ions?)?)\s*\((\d+)\)\s*$", re.IGNORECASE)
_PROPOSAL = re.compile(r"\bproposed\b.*\bseconded\b", re.IGNORECASE | re.S)

# Agreements and notings told in the narrative of a minute rather than under RESOLVED.
_AGREED = re.compile(
    r"\bit was (?:further |also |then )?agreed\b|\bthe (?:committee|cabinet|council|meeting) "
    r"(?:then |also |further )?agreed\b|^(?:members|councillors) (?:then |also )?agreed\b",
    re.IGNORECASE,
)
_ANAPHORIC_AGREEMENT = re.compile(r"\bagreed (?:to|with) (?:this|that|the suggestion)\s*\.?\s*$", re.I)
_REPORTED_ELSEWHERE = re.compile(
    r"^\s*At (?:that|the|a) (?:meeting|[\w ]{0,40}?(?:committee|board|council))\b", re.I
)
_NARRATIVE_NOTED = re.compile(
    r"^(?:Members|The Committee|The Cabinet|Cabinet|The Council|Council)\s+(?:also\s+)?noted\b"
    r"|^The [\w ,'’-]{1,60}? (?:was|were) noted\b"
)
_OUTCOMES = {
    "carried": "carried",
    "agreed": "carried",
    "lost": "lost",
    "defeated": "lost",
    "fell": "lost",
    "withdrawn": "withdrawn",
}


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


def find_decisions(index: PageIndex, items: list[MinuteItem]) -> list[Found]:
    """Every decision in the given minute items, in text order; overlapping finds are kept once."""
    found: list[Found] = []
    for item in items:
        if item.procedural:
            continue
        pars = paragraphs(split_lines(index.text, item.body_start, item.char_end))
        in_block = _resolved_block_finds(index.text, item, pars)
        inline = _inline_resolution_finds(index.text, item, pars)
        votes = _vote_finds(index.text, item, pars)
        narrative = _narrative_finds(index.text, item, pars)
        found.extend(_without_overlaps([*votes, *in_block, *inline, *narrative]))
    return sorted(found, key=lambda f: f.start)


def _without_overlaps(finds: list[Found]) -> list[Found]:
    """Keep finds in priority order, dropping any that overlap one already kept."""
    kept: list[Found] = []
    for candidate in finds:
        if all(candidate.end <= k.start or candidate.start >= k.end for k in kept):
            kept.append(candidate)
    return kept


# --- RESOLVED blocks (Birmingham) -----------------------------------------------------------------------


def _resolved_block_finds(text: str, item: MinuteItem, pars: list[Paragraph]) -> list[Found]:
    """Each bullet or paragraph under a RESOLVED heading is a decision; a bare "That:" lead-in is not."""
    finds: list[Found] = []
    in_block = False
    content_list = False  # the bullets that follow are the content of the previous decision
    for paragraph in pars:
        first = plain(paragraph.lines[0].text)
        if _RESOLVED_HEADING.match(first):
            in_block, content_list = True, False
            rest = Paragraph(paragraph.lines[1:]) if len(paragraph.lines) > 1 else None
            if rest is None:
                continue
            paragraph = rest
        if not in_block:
            continue
        for start, end, bullet in bullet_entries(paragraph, _BULLET):
            entry = plain(text[start:end])
            if not entry or _FOOTNOTE.match(text[start:end]) or entry.lower().startswith("the meeting ended"):
                continue
            if bullet and content_list:
                continue
            if not bullet and entry[0].islower():
                continue  # the tail of a list item broken over a page
            if re.fullmatch(r"that\s*:?", entry, re.IGNORECASE):
                continue
            if entry.endswith(":") and not _CONTENT_LEAD_IN.search(entry):
                content_list = False
                if _NOTING_LEAD_IN.search(entry):
                    finds.append(Found(start, end, "noted", item))
                continue
            content_list = bool(_CONTENT_LEAD_IN.search(entry))
            finds.extend(
                Found(s, e, _kind_of(plain(text[s:e])), item) for s, e in _split_however(text, start, end)
            )
    return finds


def _split_however(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A resolution followed by "However, ..." records two decisions: the outcome, then what is done."""
    spans = sentence_spans(text, start, end)
    cuts = [s for s, _ in spans[1:] if _HOWEVER.match(text[s:end])]
    bounds = [start, *cuts, end]
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]


def _kind_of(resolution: str) -> str:
    """noted when the first clause notes something; recommended when it recommends; else resolved."""
    body = re.sub(r"^RESOLVED\s+(?:that\s+)?", "", resolution.strip(), flags=re.IGNORECASE)
    first_clause = re.split(r",|;| and |:", body, maxsplit=1)[0]
    if _NOTING.search(first_clause):
        return "noted"
    if _RECOMMENDING.search(body):
        return "recommended"
    return "resolved"


# --- "RESOLVED that ..." paragraphs and their enumerated resolutions (Kent) --------------------------------


def _inline_resolution_finds(text: str, item: MinuteItem, pars: list[Paragraph]) -> list[Found]:
    finds: list[Found] = []
    index = 0
    while index < len(pars):
        paragraph = pars[index]
        body = text[paragraph.start : paragraph.end]
        match = _RESOLVED_INLINE.search(body)
        first = plain(paragraph.lines[0].text)
        if not match or _RESOLVED_HEADING.match(first) or match.start() > 12:
            index += 1
            continue
        start = paragraph.start + match.start()
        lines = [line for p in pars[index:] for line in p.lines]
        lead_in_end, enumerated = _enumerated(text, start, lines)
        if enumerated:
            lead_in = plain(text[start:lead_in_end])
            if _NOTING_LEAD_IN.search(lead_in.removeprefix("RESOLVED")):
                finds.append(Found(start, lead_in_end, "noted", item))
            finds.extend(Found(s, e, _kind_of(plain(text[s:e])), item) for s, e in enumerated)
            last_end = enumerated[-1][1]
            while index < len(pars) and pars[index].start < last_end:
                index += 1
            continue
        finds.append(Found(start, paragraph.end, _kind_of(plain(body[match.start() :])), item))
        index += 1
    return finds


def _enumerated(text: str, start: int, lines: list[Line]) -> tuple[int, list[tuple[int, int]]]:
    """(end of the lead-in, spans of its lettered or numbered items): "RESOLVED that Cabinet agree to:"."""
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    colon = text.rfind(":", start, line_end)
    if colon < 0 or text[colon + 1 : line_end].strip():
        return line_end, []
    spans: list[tuple[int, int]] = []
    expected: str | None = None
    for line in lines:
        if line.start <= colon:
            continue
        marker = _ENUMERATOR.match(line.text)
        if marker and (expected is None or marker.group(1).lower() == expected):
            spans.append((line.start + marker.end(), line.end))
            expected = _successor(marker.group(1).lower())
        elif (
            spans
            and not marker
            and not _PARAGRAPH_NUMBER.match(line.text)
            and not _gap_is_blank(text, spans[-1][1], line.start)
        ):
            spans[-1] = (spans[-1][0], line.end)  # a resolution wrapped over lines
        else:
            break
    return colon + 1, spans


def _gap_is_blank(text: str, end: int, start: int) -> bool:
    """True when a blank line that is not page furniture separates two lines."""
    between = text[end:start]
    return any(not line.strip() for line in between.split("\n")[1:-1]) and not re.search(
        r"\n\s*\d{1,4}\s*\n", between
    )


def _successor(marker: str) -> str | None:
    if marker.isdigit():
        return str(int(marker) + 1)
    romans = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"]
    if marker in romans and marker != "i":
        return romans[romans.index(marker) + 1] if marker != "x" else None
    return chr(ord(marker) + 1) if len(marker) == 1 and marker < "z" else None


# --- Votes on motions and amendments ------------------------------------------------------------------------


def _vote_finds(text: str, item: MinuteItem, pars: list[Paragraph]) -> list[Found]:
    finds: list[Found] = []
    for index, paragraph in enumerate(pars):
        for line in paragraph.lines:
            match = _OUTCOME_LINE.match(plain(line.text))
            if match:
                finds.append(_outcome_find(text, item, pars, index, line, match))
    covered = [(f.start, f.end) for f in finds]
    for paragraph in pars:
        body = text[paragraph.start : paragraph.end]
        statement = _VOTE_STATEMENT.search(body)
        outcome = _INLINE_VOTE_OUTCOME.search(body)
        if statement and outcome and not any(s <= paragraph.start < e for s, e in covered):
            start = paragraph.start + _number_length(body)
            kind, result = _vote_kind(statement.group("subject"), outcome.group("verb"))
            finds.append(Found(start, paragraph.start + outcome.end(), kind, item, result))
    return finds


def _outcome_find(
    text: str, item: MinuteItem, pars: list[Paragraph], index: int, line: Line, match: re.Match
) -> Found:
    """The decision on a motion: from its vote (or its proposal, in the same paragraph) to the result."""
    subject = match.group("subject") or "motion"
    kind, outcome = _vote_kind(subject, match.group("verb") or match.group("bare"))
    paragraph = pars[index]
    start, end = line.start, line.end
    before = text[paragraph.start : line.start]
    if _PROPOSAL.search(before) and not re.search(r"[“”\"]", before):
        start = paragraph.start + _number_length(before)  # "Mr A proposed ... Agreed unanimously."
    elif not re.search(r"[“”\"]", before):
        statement = _vote_statement_before(text, pars, index if before.strip() else index - 1)
        if statement is not None:
            start = statement.start + _number_length(text[statement.start : statement.end])
    if index + 1 < len(pars) and line.end >= paragraph.end:
        following = text[pars[index + 1].start : pars[index + 1].end]
        same_vote = _INLINE_VOTE_OUTCOME.search(following)
        if same_vote and _VOTE_STATEMENT.search(following):
            end = (
                pars[index + 1].start + same_vote.end()
            )  # "Amendment carried." then "... put to the vote and agreed"
    votes = {
        m.group(1).lower()[:7].replace("abstent", "abstain"): int(m.group(2))
        for m in (_TALLY.match(plain(t)) for t in text[start:end].split("\n"))
        if m
    }
    return Found(start, end, kind, item, outcome, _proposal(text, pars, index), votes or None)


def _vote_statement_before(text: str, pars: list[Paragraph], index: int) -> Paragraph | None:
    """The "put ... to the vote" paragraph that the tally (from paragraph ``index`` back) follows, if only
    tallies and lists of names come between."""
    for back in range(index, max(-1, index - 12), -1):
        body = text[pars[back].start : pars[back].end]
        if _VOTE_STATEMENT.search(body):
            return pars[back]
        first = plain(pars[back].lines[0].text)
        if not (_TALLY.match(first) or re.match(r"^(?:Mr|Mrs|Ms|Miss|Dr|Sir|Cllr|Councillor)\b", first)):
            return None
    return None


def _proposal(text: str, pars: list[Paragraph], index: int) -> str | None:
    """The sentence saying who proposed and seconded the motion voted on, if the minute prints it."""
    for back in range(index, -1, -1):
        body = plain(text[pars[back].start : pars[back].end])
        if _PROPOSAL.search(body):
            body = _PARAGRAPH_NUMBER.sub("", body)
            return re.split(r"(?<=[.:])\s", body, maxsplit=1)[0]
    return None


def _vote_kind(subject: str, verb: str) -> tuple[str, str]:
    outcome = _OUTCOMES[verb.lower()]
    if "amendment" in subject.lower():
        return "amendment", outcome
    return ("agreed" if outcome == "carried" else "motion"), outcome


def _number_length(body: str) -> int:
    match = _PARAGRAPH_NUMBER.match(body)
    return match.end() if match else len(body) - len(body.lstrip())


# --- Agreements and notings in the narrative ----------------------------------------------------------------


def _narrative_finds(text: str, item: MinuteItem, pars: list[Paragraph]) -> list[Found]:
    finds: list[Found] = []
    for paragraph in pars:
        first = paragraph.lines[0].text
        if _BULLET.match(first) or _RESOLVED_HEADING.match(plain(first)):
            continue
        spans = sentence_spans(text, paragraph.start, paragraph.end)
        for number, (start, end) in enumerate(spans):
            sentence = plain(text[start:end])
            if _REPORTED_ELSEWHERE.match(sentence) or _VOTE_STATEMENT.search(sentence):
                continue
            agreed = _AGREED.search(sentence)
            if agreed and not _RESOLVED_INLINE.search(sentence):
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
