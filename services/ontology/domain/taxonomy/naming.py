"""Names: the normalised search key, EcoTaxa's homonym disambiguation and the forms a user may
write a name in."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_PAREN = re.compile(r"^(.*\S)\s*\(([^()]*)\)\s*$")


def normalise(text: str) -> str:
    """Case- and space-insensitive key: NFKC, case-folded, runs of blanks collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def words(text: str) -> list[str]:
    return _WORD.findall(normalise(text))


def display_names(*, homonyms: list[tuple[int, str, list[str]]]) -> dict[int, str]:
    """Display names of taxa sharing one name. Each entry is (id, name, ancestor names nearest
    first). A unique name shows as itself; homonyms as ``name<parent`` as EcoTaxa does, going up
    one more ancestor while two of them would still read the same, and ``name<`` for a root."""
    if len(homonyms) == 1:
        tid, name, _ = homonyms[0]
        return {tid: name}
    depth = 1
    while True:
        shown = {tid: name + "<" + "<".join(ancestors[:depth]) for tid, name, ancestors in homonyms}
        longest = max(len(a) for _, _, a in homonyms)
        if len(set(shown.values())) == len(shown) or depth >= longest:
            break
        depth += 1
    if len(set(shown.values())) != len(shown):
        # Identical lineages: only the id can tell them apart.
        shown = {tid: f"{text}#{tid}" for tid, text in shown.items()}
    return shown


def name_forms(text: str) -> tuple[str, str | None]:
    """(name key, parent key or None) for ``name``, ``name<parent`` and ``name (parent)``."""
    if "<" in text:
        name, _, parent = text.partition("<")
        return normalise(name), normalise(parent.split("<")[0])
    found = _PAREN.match(text)
    if found:
        return normalise(found.group(1)), normalise(found.group(2))
    return normalise(text), None
