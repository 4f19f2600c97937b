"""Matches of a pattern where ``\\b`` would let it start, found without ``\\b`` in the pattern.

The regex engine scans for a pattern that starts with a literal much faster than for one that
starts with ``\\b``, which it tries at every position (25 times slower on Terraform text); so
patterns start with their literal and the word start is checked here, on each match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence


def is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what ``\w`` matches in a str pattern


def word_start_matches(rx: re.Pattern, text: str, underscores: bool = False) -> Iterator[re.Match]:
    r"""``rx.finditer(text)`` as if ``rx`` began with ``\b`` (``\b_*`` with ``underscores``).

    After a match that does not start a word the search resumes one character on, as the
    engine would: a match may start inside a rejected one."""
    pos = 0
    while (match := rx.search(text, pos)) is not None:
        start = match.start()
        if underscores:
            while start and text[start - 1] == "_":
                start -= 1
        if start and is_word_char(text[start - 1]):
            pos = match.start() + 1
            continue
        yield match
        pos = match.end()


def holds_by(text: str, char: str, words: Sequence[tuple[str, int]]) -> bool:
    """Whether ``text`` holds one of ``words``, each given with the index of ``char`` in it,
    looked for at each ``char`` of the text only. ``str.find`` of one character is a
    ``memchr``, ten times faster than a pass of ``in`` for a longer string: for a ``char``
    rare in code (a capital: G, H, J, K and U are one character in 1,000 to 12,000 of
    bench/corpus/python) this is one quick pass for all of them."""
    at = text.find(char)
    while at >= 0:
        for word, index in words:
            if at >= index and text.startswith(word, at - index):
                return True
        at = text.find(char, at + 1)
    return False


def starts_by(text: str, word: str, index: int) -> Iterator[int]:
    """Where ``word`` starts in ``text``, looked for at each of its character at ``index``
    only (a capital rare in code: ``holds_by``)."""
    char = word[index]
    at = text.find(char, index)
    while at >= 0:
        if text.startswith(word, at - index):
            yield at - index
        at = text.find(char, at + 1)
