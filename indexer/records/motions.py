"""Motions, amendments and their votes: each outcome line joins the record of the motion it decides.

A vote is told by a statement ("The Chairman put the amendment set out in paragraph 17 to the vote"), its
tallies ("For (14)") and an outcome line ("Amendment lost."), or by an outcome line alone after a
proposal ("Mr A proposed, and Mr B seconded that ... Agreed unanimously."). The record quotes what was
voted on: the motion's own words, or the parts an amendment adds to the motion it amends. An outcome
with no motion to attach to is never a record of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.layout.minutes import MinuteItem
from indexer.layout.resolutions import list_entries
from indexer.text.spans import Line, Paragraph, is_furniture, plain, split_lines

_SUBJECT = r"(?P<subject>substantive\s+motion|original\s+motion|amendment|motion)"
OUTCOME_LINE = re.compile(
    rf"^(?:(?:the\s+)?{_SUBJECT}\s+(?:was\s+)?(?P<verb>carried|lost|agreed|defeated|fell|withdrawn)"
    r"|(?P<bare>agreed|carried|lost)(?P<how>\s+unanimously|\s+nem\.?\s*con\.?)?)\s*\.?\s*$",
    re.IGNORECASE,
)
VOTE_STATEMENT = re.compile(rf"\bput\s+the\s+{_SUBJECT}\b.*?\bto\s+the\s+vote\b", re.I | re.S)
_INLINE_OUTCOME = re.compile(
    r"\bto\s+the\s+vote\s+and\s+(?:it\s+was|was)\s+(?P<verb>agreed|carried|lost|defeated)\b", re.I
)
# "put the motion to extend the meeting to the vote": the statement names the motion itself.
_NAMED_MOTION = re.compile(r"\bput\s+the\s+motion\s+(?:to|that)\s+\w", re.I)
_REFERENCE = re.compile(r"\bset\s+out\s+(?:in|at)\s+paragraph\s+(\d{1,3})\b", re.I)
_TALLY = re.compile(r"^\s*(For|Against|Abstain(?:ed|ing|ions?)?)\s*\((\d+)\)\s*$", re.IGNORECASE)
_PROPOSAL = re.compile(r"\bproposed\b.{0,80}?\bseconded\b", re.IGNORECASE | re.S)
_THAT_CLAUSE = re.compile(r"\bseconded\s+(?:the\s+motion\s+)?(that\b.+?[.;])(?=\s|$)", re.I | re.S)
_QUOTED = re.compile(r"[“\"](?P<body>.+?)[”\"]", re.S)
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+\S")
_OUTCOMES = {"carried": "carried", "agreed": "carried", "lost": "lost", "defeated": "lost", "fell": "lost"}


@dataclass
class Vote:
    """A motion or amendment voted on: the span quoted, its readable text, and how the vote went."""

    start: int
    end: int
    kind: str  # amendment_carried, amendment_lost, motion_carried, ...
    outcome: str
    text: str
    motion: str | None  # who proposed and seconded it, as printed
    votes: dict[str, int] | None


def find_votes(text: str, item: MinuteItem, pars: list[Paragraph]) -> list[Vote]:
    """Every vote in a minute item, each joined to the motion or amendment it decides, once."""
    groups = _numbered_groups(pars)
    votes: list[Vote] = []
    decided: set[tuple[int, str]] = set()
    pending: tuple[Paragraph, re.Match] | None = None  # a vote statement awaiting its outcome line
    after = 0  # where the last vote was told: a proposal before it is decided already
    for index, paragraph in enumerate(pars):
        body = text[paragraph.start : paragraph.end]
        statement = VOTE_STATEMENT.search(body)
        if statement:
            inline = _INLINE_OUTCOME.search(body)
            if inline:
                subject = statement.group("subject")
                vote = _vote(text, groups, pars, index, subject, inline.group("verb"), statement, None, after)
                _keep(vote, votes, decided)
                pending, after = None, paragraph.end
            else:
                pending = (paragraph, statement)
            continue
        for line in paragraph.lines:
            match = OUTCOME_LINE.match(plain(line.text))
            if not match:
                continue
            subject = match.group("subject") or (pending[1].group("subject") if pending else "motion")
            verb = match.group("verb") or match.group("bare")
            statement = pending[1] if pending else None
            tally_start = pending[0].start if pending else paragraph.start
            vote = _vote(text, groups, pars, index, subject, verb, statement, (tally_start, line.end), after)
            _keep(vote, votes, decided)
            pending, after = None, line.end
    return votes


def _keep(
    vote: tuple[Vote, tuple[int, str]] | None, votes: list[Vote], decided: set[tuple[int, str]]
) -> None:
    """A motion voted on is one record, however many times the minutes tell its vote."""
    if vote is not None and vote[1] not in decided:
        decided.add(vote[1])
        votes.append(vote[0])


def _vote(
    text: str,
    groups: dict[int, tuple[int, int]],
    pars: list[Paragraph],
    index: int,
    subject: str,
    verb: str,
    statement: re.Match | None,
    tally_span: tuple[int, int] | None,
    after: int,
) -> tuple[Vote, tuple[int, str]] | None:
    amendment = "amendment" in subject.lower()
    outcome = _OUTCOMES.get(verb.lower(), "withdrawn")
    kind = f"{'amendment' if amendment else 'motion'}_{outcome}"
    target = _target(text, groups, pars, index, statement, after)
    tallies = _tallies(text, *tally_span) if tally_span else None
    if target is None:
        if statement is None:
            return None  # a bare outcome line decides nothing we can name
        start = pars[index].start if tally_span is None else tally_span[0]
        end = tally_span[1] if tally_span else pars[index].end
        numbered = re.match(r"\s*\d{1,3}[.)]\s+", text[start:end])  # the paragraph's number is no quote
        start += numbered.end() if numbered else 0
        return Vote(start, end, kind, outcome, plain(text[start:end]), None, tallies), (start, kind[:5])
    start, end, words = _operative(text, groups, target, amendment)
    proposal = _PROPOSAL.search(text, target[0], target[1])
    motion = None
    if proposal:
        sentence_end = re.search(r"[.:](?=\s)", text[proposal.start() : target[1]])
        motion = plain(text[target[0] : proposal.start() + (sentence_end.end() if sentence_end else 0)])
        motion = re.sub(r"^\d{1,3}[.)]\s*", "", motion)
    return Vote(start, end, kind, outcome, words, motion, tallies), (target[0], kind[:5])


def _numbered_groups(pars: list[Paragraph]) -> dict[int, tuple[int, int]]:
    """Numbered paragraphs of a minute ("17) Mr Hood proposed ...") with everything up to the next one."""
    starts = [(int(m.group(1)), p.start) for p in pars if (m := _NUMBERED.match(p.lines[0].text))]
    end = pars[-1].end if pars else 0
    return {
        number: (start, starts[i + 1][1] if i + 1 < len(starts) else end)
        for i, (number, start) in enumerate(starts)
    }


def _target(
    text: str,
    groups: dict[int, tuple[int, int]],
    pars: list[Paragraph],
    index: int,
    statement: re.Match | None,
    after: int = 0,
) -> tuple[int, int] | None:
    """The proposal the vote decides: the paragraph the vote names, else the nearest one before it (none
    when the statement itself names the motion, such as a motion to extend the meeting)."""
    if statement is not None:
        reference = _REFERENCE.search(statement.group(0))
        if reference and int(reference.group(1)) in groups:
            return groups[int(reference.group(1))]
        if _NAMED_MOTION.search(statement.group(0)):
            return None
    position = pars[index].start
    for start, end in sorted(groups.values(), reverse=True):
        if after <= start <= position and _PROPOSAL.search(text, start, end):
            return start, end
    for back in range(index, max(-1, index - 3), -1):  # an unnumbered proposal just before the vote
        if pars[back].start >= after and _PROPOSAL.search(text, pars[back].start, pars[back].end):
            return pars[back].start, pars[back].end
    return None


def _operative(
    text: str, groups: dict[int, tuple[int, int]], target: tuple[int, int], amendment: bool
) -> tuple[int, int, str]:
    """The span and readable text of what was voted on: an amendment's added parts, else the motion."""
    quoted = _QUOTED.search(text, target[0], target[1])
    if quoted is None:
        clause = _THAT_CLAUSE.search(text, target[0], target[1])
        if clause:
            return clause.start(1), clause.end(1), plain(clause.group(1))
        return target[0], target[1], plain(text[target[0] : target[1]])
    start, end = quoted.start("body"), quoted.end("body")
    parts = _parts(text, start, end)
    if amendment and parts:
        amended = _REFERENCE.search(text, target[0], start)
        if amended and int(amended.group(1)) in groups:
            base = _QUOTED.search(text, *groups[int(amended.group(1))])
            known = {_key(text, s, e) for s, e in _parts(text, *base.span("body"))} if base else set()
            added = [(s, e) for s, e in parts if _key(text, s, e) not in known]
            if added and len(added) < len(parts):
                lead_in = re.sub(r"\s*\(\w{1,4}\)$", "", plain(text[start : parts[0][0]])).rstrip(" :")
                words = " ".join(_strip_markers(plain(text[s:e])) for s, e in added)
                return added[0][0], added[0][1], f"{lead_in}: {words}" if lead_in else words
    return start, end, plain(text[start:end])


def _parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The marked parts of a quoted motion, each with its wrapped and page-broken lines."""
    lines: list[Line] = [line for line in split_lines(text, start, end) if not is_furniture(line)]
    return [(s, e) for s, e, marker in list_entries(text, lines, start) if marker is not None]


def _key(text: str, start: int, end: int) -> str:
    return re.sub(r"\W+", " ", _strip_markers(plain(text[start:end])).lower()).strip()


def _strip_markers(body: str) -> str:
    return re.sub(r"^(?:\(\w{1,4}\)\s*)+", "", body)


def _tallies(text: str, start: int, end: int) -> dict[str, int] | None:
    votes = {
        m.group(1).lower()[:7].replace("abstent", "abstain"): int(m.group(2))
        for m in (_TALLY.match(plain(t)) for t in text[start:end].split("\n"))
        if m
    }
    return votes or None
