"""Region codes as ID numbers carry them: the code at first registration, which may since have been abolished
(陆丰县 442330 before 1983). python-stdnum's cn/loc table lists every code with the years it was in use."""

from __future__ import annotations

import os
import re
from functools import lru_cache

import stdnum

_LINE = re.compile(r'^\s+(\d{4}) county="(.*)"')
_SPAN = re.compile(r"\[(\d*)-(\d*)\]([^,\[]+)")


@lru_cache(maxsize=1)
def historic_codes() -> dict[str, list[tuple[int, int, str]]]:
    """code → [(first year, last year, name)]."""
    table: dict[str, list[tuple[int, int, str]]] = {}
    province = ""
    with open(os.path.join(os.path.dirname(stdnum.__file__), "cn", "loc.dat"), encoding="utf-8") as fh:
        for line in fh:
            if line[:2].isdigit():
                province = line[:2]
                continue
            m = _LINE.match(line)
            if not m:
                continue
            spans = _SPAN.findall(m.group(2)) or [("", "", m.group(2))]
            table[province + m.group(1)] = [(int(a or 0), int(b or 9999), name) for a, b, name in spans]
    return table


def in_use(code: str, year: int) -> bool:
    return any(a <= year <= b for a, b, _ in historic_codes().get(code, ()))


@lru_cache(maxsize=1)
def _by_province() -> dict[str, list[tuple[str, list[tuple[int, int, str]]]]]:
    out: dict[str, list] = {}
    for c, spans in historic_codes().items():
        out.setdefault(c[:2], []).append((c, spans))
    return out


@lru_cache(maxsize=65536)
def code_for(code: str, year: int, names: tuple[str, ...] = ()) -> str:
    """`code` if it was in use in `year`; otherwise a code of the same province then in use, preferring one
    whose county name is among `names` (the place's predecessors and neighbours)."""
    if in_use(code, year):
        return code
    same_province = _by_province().get(code[:2], [])
    for wanted in (set(names), None):
        for c, spans in same_province:
            if any(a <= year <= b and (wanted is None or n in wanted) for a, b, n in spans):
                return c
    return code
