"""Commitments in minutes: undertakings, requests for information and promises to report back."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.layout.minutes import MinuteItem
from indexer.records.models import Commitment
from indexer.text.dates import DAY_MONTH_YEAR, MONTHS, to_iso
from indexer.text.overlap import overlap
from indexer.text.spans import (
    PageIndex,
    bullet_entries,
    join_ordinals,
    paragraphs,
    plain,
    sentence_spans,
    split_lines,
)
from indexer.text.words import terms

_NAME = r"(?:Mr|Mrs|Ms|Miss|Dr|Cllr\.?|Councillor|Professor)?\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4}"
_ROLE = r"(?:the|The)\s+(?:[A-Z][\w'’-]*|of|and|for|&)(?:\s+(?:[A-Z][\w'’-]*|of|and|for|&)){0,6}"
_ROLE_NOTE = r"(?:\s*\([^)]{2,60}\))?"  # "Mr Watts (General Counsel)"
_WHO = rf"(?P<who>{_ROLE}{_ROLE_NOTE}|{_NAME}{_ROLE_NOTE}|[Oo]fficers|[Mm]embers|[Tt]hey|[Hh]e|[Ss]he)"
# "Clair undertook to ...", "The Strategic Director committed to chasing up ...".
_UNDERTAKING = re.compile(
    rf"{_WHO}\s+(?:had\s+|has\s+)?(?:(?:undertook|undertaken|undertakes|committed)\s+to\b|"
    r"(?:agreed|promised|offered)\s+to\s+(?:provide|circulate|share|send|report|bring|come back|look into|"
    r"write|arrange|follow up|update|e-?mail|chase|invite|meet|investigate|confirm|clarify)\b)"
)
# Resolutions in the infinitive: "The Peer Researcher(s) to come back ...", "To report back ...".
_ACTION_VERBS = (
    r"come back|report back|report|write|chase|provide|bring|share|circulate|send|e-?mail|email|arrange|"
    r"invite|update|look into|follow up|be in touch|attend|discuss|consider|present|confirm|clarify|meet|"
    r"liaise|investigate"
)
_PASSIVE_VERBS = (
    r"provided|circulated|shared|brought|sent|e-?mailed|forwarded|added|presented|reported|invited|arranged|"
    r"programmed|scheduled|considered|followed up|chased"
)
_INFINITIVE = re.compile(
    rf"^(?:That\s+)?(?:(?P<who>(?:the\s+|The\s+)?[A-Z][^.;:]{{0,90}}?)\s+)?[Tt]o\s+(?:(?P<active>{_ACTION_VERBS})\b|"
    rf"be\s+(?P<passive>{_PASSIVE_VERBS})\b)"
)
# Promises told in the narrative: "a draft would be brought to the committee", "will be circulated".
_PROMISE = re.compile(
    r"\b(?:will|would|shall)\s+(?:also\s+)?(?:be\s+)?(?P<verb>provided|provide|circulated|circulate|shared|share|sent|"
    r"send|e-?mailed|forwarded|brought(?:\s+back)?|bring(?:\s+back)?|report(?:ed)?\s+back|come\s+back|presented|"
    r"added\s+to\s+the\s+(?:work\s+programme|list)|write\s+to|be\s+in\s+touch|in\s+touch|making\s+representations|"
    r"make\s+representations|followed\s+up|follow\s+up)\b",
    re.IGNORECASE,
)
_TO_A_BODY = re.compile(
    r"\b(?:to|before|with)\s+(?:the\s+|all\s+)?(?:committee|cabinet|council|members|councillors|scrutiny|government)\b"
    r"|\bback\b",
    re.IGNORECASE,
)
_NOT_A_SUBJECT = re.compile(
    r"\b(?:is|was|were|are|has|had|have|may|might|would|could|should|will|can|wish|wishes|aimed|aims|need|needs|"
    r"want|wants|seek|seeks|sought|hoped|continue|continued|able|going|used|due|likely|required|asked|invited|"
    r"looking|working|agreed|said|noted|felt)\b",
    re.IGNORECASE,
)
_REPORTED_ELSEWHERE = re.compile(
    r"^\s*At (?:that|the|a) (?:meeting|[\w ]{0,40}?(?:committee|board|council))\b", re.I
)
_ENUMERATOR = re.compile(r"^\s*\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})\)\s+")
_REQUEST = re.compile(
    # "... were requested and Members were informed ...": asked and answered at the meeting
    r"\b(?:was|were)\s+requested\b"
    r"(?!\s+and\s+(?:members|the committee)\s+(?:was|were)\s+(?:informed|told|given))"
    r"|(?<!had )\brequested\s+(?:that|the|a|an|further|more|information|details|an update)\b",
    re.IGNORECASE,
)
_REQUEST_LEAD_IN = re.compile(r"\bthe following (?:was|were|is|are) requested\s*:\s*$", re.IGNORECASE)
_SPEAKER = re.compile(
    rf"{_WHO}\s+(?:commented|said|confirmed|advised|stated|explained|highlighted|reported|assured|agreed)\s+that\b"
)
_QUESTION = re.compile(
    r"\b(?:in response to|responding to|in answer to)\s+(?:a |the |this )?"
    r"(?:question|questions|query|queries)\b"
    r"|\basked (?:whether|if|about|what|how|when|why)\b|\breplied\b",
    re.IGNORECASE,
)
_RESOLVED = re.compile(r"^RESOLVED[\s:\-–]*$")
_BULLET = re.compile(r"^\s*(?:[-•●▪*]|\uf0b7|\uf0a7|\uf0d8)\s+")
_DUE_PHRASE = re.compile(
    r"\b(?:at|to|for|before|by) the next (?:committee )?meeting\b|\bin due course\b|\bin the future\b|"
    r"\bat a future (?:committee )?meeting\b|\bin (?:six|three|twelve|\d{1,2}) months\b"
    r"|\bby the end of \w+(?: \d{4})?",
    re.IGNORECASE,
)
_DUE_MARKER = re.compile(r"\b(?:by|before|prior to|on|in|at|until|for|no later than)\s+(?:the\s+)?$", re.I)
_PAST = re.compile(r"\b(?:held|took place|was|were|had|has been|have been)\b", re.I)
_DUPLICATE_OVERLAP = 0.7
OPEN_BY_DEFAULT = "Nothing later in this document says what became of it, so it is open by default."
_MIN_WORDS_TO_COMPARE = 5


@dataclass
class _Found:
    start: int
    end: int
    who: str | None
    source: str
    formal: bool  # recorded under RESOLVED (the formal record) rather than in the discussion


def find_commitments(index: PageIndex, items: list[MinuteItem], context: dict) -> list[Commitment]:
    """Commitments made at the meetings the minute items record (ids are assigned by the caller)."""
    commitments: list[Commitment] = []
    for item in items:
        if item.procedural:
            continue
        found = _deduplicated(index.text, _finds(index.text, item))
        for f in sorted(found, key=lambda f: f.start):
            cited = index.cite(f.start, f.end)
            what = re.sub(
                r"^(?:RESOLVED\s+)?(?:that\s*:?\s+)?(?:However,\s+)?", "", plain(cited["quote"]), flags=re.I
            )
            due, due_date = due_of(what)
            commitments.append(
                Commitment(
                    commitment_id="",
                    meeting_date=item.meeting_date,
                    item_number=item.number,
                    item_title=item.title,
                    what=what[:1].upper() + what[1:],
                    who=f.who,
                    due=due,
                    due_date=due_date,
                    status="open",
                    status_source="none stated",
                    status_note=OPEN_BY_DEFAULT,
                    status_date=item.meeting_date,
                    source=f.source,
                    **context,
                    **cited,
                )
            )
    return commitments


def due_of(text: str) -> tuple[str | None, str | None]:
    """(due as printed, YYYY-MM-DD): a date the commitment is due by, or a phrase like "next meeting"."""
    cleaned = join_ordinals(text)
    for match in DAY_MONTH_YEAR.finditer(cleaned):
        before = cleaned[max(0, match.start() - 40) : match.start()]
        if (_DUE_MARKER.search(before) and not _PAST.search(before)) or re.search(
            r"\bmonths?\s+[–-]?\s*$", before
        ):
            iso = to_iso(int(match.group(1)), MONTHS[match.group(2).lower()], int(match.group(3)))
            return match.group(0), iso
    phrase = _DUE_PHRASE.search(cleaned)
    return (phrase.group(0), None) if phrase else (None, None)


def subject_of(action: str) -> str | None:
    """Who an action is for, when its wording says: "The Director, Children and Families, to bring ..."."""
    found = _commitment_in(action, 0, len(action), formal=True, question=False)
    return found.who if found else None


def _finds(text: str, item: MinuteItem) -> list[_Found]:
    finds: list[_Found] = []
    formal = False
    requested_list = False
    for paragraph in paragraphs(split_lines(text, item.body_start, item.char_end)):
        if _RESOLVED.match(plain(paragraph.lines[0].text)):
            formal, requested_list = True, False
            continue
        question = bool(_QUESTION.search(plain(paragraph.text(text))))
        for start, end, bullet in bullet_entries(paragraph, _BULLET):
            entry = plain(text[start:end])
            if requested_list and bullet:
                finds.append(_Found(start, end, None, "minutes", formal))
                continue
            requested_list = bool(_REQUEST_LEAD_IN.search(entry))
            if requested_list:
                continue
            for s, e in sentence_spans(text, start, end):
                marker = _ENUMERATOR.match(text[s:e])
                s += marker.end() if marker else 0
                found = _commitment_in(plain(text[s:e]), s, e, formal, question)
                if found:
                    finds.append(found)
    return finds


def _commitment_in(sentence: str, start: int, end: int, formal: bool, question: bool) -> _Found | None:
    """The commitment a sentence makes, if it makes one."""
    if _REPORTED_ELSEWHERE.match(sentence):
        return None  # another body's decision, reported
    source = "answer" if question and not formal else "minutes"
    undertaking = _UNDERTAKING.search(sentence)
    if undertaking and not _NOT_A_SUBJECT.search(undertaking.group("who")):
        return _Found(start, end, _who(undertaking.group("who")), source, formal)
    infinitive = _INFINITIVE.match(re.sub(r"^RESOLVED\s+", "", sentence))
    if infinitive and not _NOT_A_SUBJECT.search(infinitive.group("who") or ""):
        who = None if infinitive.group("passive") else _who(infinitive.group("who"))
        return _Found(start, end, who, source, formal)
    promise = _PROMISE.search(sentence)
    if promise and (_TO_A_BODY.search(sentence[promise.start() :]) or "touch" in promise.group("verb")):
        speaker = _SPEAKER.search(sentence[: promise.start()])
        if speaker:
            return _Found(start, end, _who(speaker.group("who")), source, formal)
        subject = re.match(
            r"^(?:That\s+)?(?P<who>[A-Z][\w'’() ,-]{1,50}?)\s+(?:will|would|shall)\s+(?:also\s+)?"
            r"(?!be\s+(?!in\b))",
            sentence,
        )
        who = subject.group("who") if subject and not _NOT_A_SUBJECT.search(subject.group("who")) else None
        return _Found(start, end, _who(who), source, formal)
    if _REQUEST.search(sentence):
        return _Found(start, end, None, source, formal)
    return None


def _who(raw: str | None) -> str | None:
    """A person or role as printed; pronouns and empty subjects say nothing."""
    if not raw:
        return None
    who = " ".join(raw.split()).strip(" ,")
    who = re.sub(r"^(?:That|However,?|In addition,?)\s+", "", who)
    if who.lower() in {"they", "he", "she", "it", "this", "there"} or not who:
        return None
    return who


def _deduplicated(text: str, finds: list[_Found]) -> list[_Found]:
    """One record per commitment: a discussion sentence repeated under RESOLVED keeps the formal one."""
    kept: list[_Found] = []
    for candidate in sorted(finds, key=lambda f: (not f.formal, f.start)):
        words = _content_words(text[candidate.start : candidate.end])
        duplicate = next(
            (
                k
                for k in kept
                if overlap(words, _content_words(text[k.start : k.end]), _MIN_WORDS_TO_COMPARE)
                >= _DUPLICATE_OVERLAP
                or (k.start <= candidate.start < k.end)
            ),
            None,
        )
        if duplicate is None:
            kept.append(candidate)
        elif duplicate.who is None and candidate.who:
            duplicate.who = candidate.who  # the discussion often names who will do it
    return kept


def _content_words(text: str) -> set[str]:
    """Distinctive words, stemmed ("chasing" and "chase" agree)."""
    return {w for w in terms(plain(text), min_chars=3) if not w.isdigit()}
