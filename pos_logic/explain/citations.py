"""Several citations as one: a finding that several rules derive (or a missing document that
several rules require) cites each provision once, and names a document or chapter only where it
changes, as a reader writes "Contract Manual ch. 10 §II.A.1.b, §V.E; ch. 4 §I"."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

#: a citation part: the document (may be empty: inherited), the chapter (may be empty), the section
_PART = re.compile(r"(?P<doc>.*?)(?P<chap>ch\. \S+ )?(?P<rest>§.*)$", re.S)


def _absolute(cite: str) -> Iterable[tuple[str, str, str]]:
    """Each `;`-separated part of one citation with its document and chapter spelled out (a part
    that starts at "ch." or "§" continues the document, and the chapter, of the part before)."""
    doc = chap = ""
    for part in (p.strip() for p in cite.split(";")):
        if not part:
            continue
        m = _PART.match(part)
        if not m:  # no section: a whole reference of its own ("Act 1814 of 2003")
            doc = chap = ""
            yield part, "", ""
            continue
        if m["doc"]:
            doc, chap = m["doc"], m["chap"] or ""
        elif m["chap"]:
            chap = m["chap"]
        yield doc, chap, m["rest"]


def combine(cites: Iterable[str]) -> str:
    """The citations in order, each part once, the document and chapter written when they change."""
    return _combined(tuple(cites))


@lru_cache(maxsize=1 << 12)
def _combined(cites: tuple[str, ...]) -> str:
    """combine, once for each list of citations: a run's findings cite a few hundred provisions."""
    parts = dict.fromkeys(p for cite in cites for p in _absolute(cite))
    out: list[str] = []
    previous: tuple[str, str] = ("", "")
    for doc, chap, rest in parts:
        if not rest:
            out.append(doc)
            previous = ("", "")
            continue
        if (doc, chap) == previous and doc:
            out.append(rest)
        elif doc == previous[0] and doc:
            out.append(chap + rest)
        else:
            out.append(doc + chap + rest)
        previous = (doc, chap)
    return "; ".join(out)
