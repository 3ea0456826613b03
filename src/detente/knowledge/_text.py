"""Text normalisation shared by search and the classifier: jieba for Chinese, lower-case words.

``search_text`` is what the full-text indexes see: the lower-cased text with every run of Chinese
characters segmented into words (jieba's search mode, which adds the shorter words inside long
ones) and separated by spaces, so that SQLite's unicode61 tokenizer and PostgreSQL's parser both
split Chinese into words.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from types import ModuleType

__all__ = ["has_cjk", "query_tokens", "search_text", "tokens"]

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9][a-z0-9'\-]*[a-z0-9]|[a-z0-9]")


@lru_cache(maxsize=1)
def _jieba() -> ModuleType:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds any Chinese character."""
    return bool(_CJK_RUN.search(text))


def _segment(run: str, *, for_search: bool) -> list[str]:
    jieba = _jieba()
    words = jieba.cut_for_search(run) if for_search else jieba.cut(run)
    return [w for w in words if w.strip()]


def search_text(text: str) -> str:
    """The lower-cased, word-segmented copy of ``text`` that the search indexes hold."""
    lowered = text.lower()
    if not has_cjk(lowered):
        return lowered
    return _CJK_RUN.sub(
        lambda m: " " + " ".join(_segment(m.group(), for_search=True)) + " ", lowered
    )


def tokens(text: str) -> list[str]:
    """Word tokens of ``text`` for the classifier: lower-case words, jieba words for Chinese."""
    out: list[str] = []
    for match in _WORD.finditer(text.lower()):
        word = match.group()
        if _CJK_RUN.fullmatch(word):
            out.extend(_segment(word, for_search=False))
        else:
            out.append(word)
    return out


def query_tokens(query: str) -> list[str]:
    """The words of a search query (Chinese segmented in jieba's default mode)."""
    return [t.replace("'", "") for t in tokens(query) if t.replace("'", "")]
