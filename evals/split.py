"""The fixed dev/test split: which questions rules are tuned on (dev) and which are only reported (test).

The rule is by file, and every file's ids carry its split's prefix, so the split of a question can be told
from its id alone (``split_of``) and a question copied into the wrong file is caught by ``check``:

- ``dev``: the original hand-checked questions (``bham-*``, ``kent-*``) and the dev near misses (``dn-*``).
  Every rule, weight and threshold of the system is chosen on these.
- ``test``: the questions written blind, before any run of the system on them (``tb-*`` over the
  Birmingham papers, ``tk-*`` over the Kent papers), answerable ones and near misses alike. They are only
  ever reported: the README and the gate quote them, nothing is tuned on them.

Nothing here is random, so the split never moves; a new question joins a split by the file it is written in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

DEV = "dev"
TEST = "test"
SPLITS = (DEV, TEST)
HEADLINE_SPLIT = TEST  # the split the README, the gate and the ablation table quote

SPLIT_FILES: dict[str, tuple[str, ...]] = {
    DEV: ("questions_birmingham.jsonl", "questions_kent.jsonl", "questions_dev_nearmiss.jsonl"),
    TEST: ("questions_test_birmingham.jsonl", "questions_test_kent.jsonl"),
}
# The id prefixes of each split's files; an id with none of these is dev (so fixtures and new dev sets work).
TEST_PREFIXES = ("tb-", "tk-")


class HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=HasId)


def split_of(question_id: str) -> str:
    """The split a question belongs to, from its id."""
    return TEST if question_id.startswith(TEST_PREFIXES) else DEV


def split_file(file_name: str) -> str:
    """The split a question file belongs to; an unknown file is an error, so no file is in neither."""
    for split, names in SPLIT_FILES.items():
        if file_name in names:
            return split
    raise ValueError(f"{file_name}: not in any split; add it to evals/split.py SPLIT_FILES")


def in_split(questions: Iterable[T], split: str | None) -> list[T]:
    """The questions of one split (all of them for None), in their order."""
    if split is not None and split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}; got {split!r}")
    return [q for q in questions if split is None or split_of(q.id) == split]


def misfiled(file_name: str, question_ids: Sequence[str]) -> list[str]:
    """Ids in a file whose prefix says another split than the file does."""
    try:
        split = split_file(file_name)
    except ValueError:
        return []  # a file outside the committed set (a test fixture): no prefix rule to hold it to
    return [qid for qid in question_ids if split_of(qid) != split]
