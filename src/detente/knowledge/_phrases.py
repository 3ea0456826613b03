"""Lexicon rules in words: the phrases a rule's regular expression stands for.

The taxonomy's English rules are small regular expressions ("red lines?", "human
(judgment|judgement|review)", "should (therefore )?be prohibited"). People read them as the
phrases they match, and cross-lingual search uses those phrases as query terms. This module
expands the subset of syntax the rules use — literals, groups with alternatives, ``?`` after a
character or group, character classes, ``\\s`` and escapes; look-arounds and anchors match
nothing visible and are dropped — into at most ``limit`` phrases, shortest variant first.
"""

from __future__ import annotations

import itertools

__all__ = ["rule_phrases"]


def _parse_sequence(pattern: str, i: int) -> tuple[list[list[list[str]]], int]:
    """Alternatives of one sequence (until ')' or the end), each a list of variant sets."""
    alternatives: list[list[list[str]]] = [[]]
    while i < len(pattern):
        char = pattern[i]
        if char == ")":
            break
        if char == "|":
            alternatives.append([])
            i += 1
            continue
        if char == "(":
            if pattern.startswith("(?<", i) or pattern.startswith("(?=", i) or pattern.startswith(
                "(?!", i
            ):
                depth, i = 1, i + 3
                while i < len(pattern) and depth:
                    depth += {"(": 1, ")": -1}.get(pattern[i], 0)
                    i += 1
                continue
            start = i + 3 if pattern.startswith("(?:", i) else i + 1
            inner, i = _parse_sequence(pattern, start)
            i += 1  # the closing parenthesis
            options = [opt for alt in inner for opt in _join(alt, normalise=False)]
        elif char == "[":
            end = pattern.index("]", i)
            members = pattern[i + 1 : end].replace("\\", "")
            options = [" " if " " in members else members[:1]]
            i = end + 1
        elif char == "\\":
            code = pattern[i + 1 : i + 2]
            options = {"s": [" "], "b": [""], "w": [""], "d": ["1"]}.get(code, [code])
            i += 2
        elif char in "^$" or char == ".":
            options = [""]
            i += 1
        else:
            options = [char]
            i += 1
        if i < len(pattern) and pattern[i] in "?*+":
            if pattern[i] in "?*":
                options = ["", *options]
            i += 1
        alternatives[-1].append(options)
    return alternatives, i


def _join(parts: list[list[str]], limit: int = 12, *, normalise: bool = True) -> list[str]:
    out: list[str] = []
    for combo in itertools.islice(itertools.product(*parts), limit):
        joined = "".join(combo)
        out.append(" ".join(joined.split()) if normalise else joined)
    return out


def rule_phrases(pattern: str, limit: int = 6) -> list[str]:
    """The phrases ``pattern`` matches, shortest first (at most ``limit``)."""
    alternatives, _ = _parse_sequence(pattern, 0)
    phrases: list[str] = []
    for alternative in alternatives:
        for phrase in _join(alternative):
            phrase = phrase.strip(" -")
            if phrase and phrase not in phrases:
                phrases.append(phrase)
    phrases.sort(key=len)
    return phrases[:limit]
