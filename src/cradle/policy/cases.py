"""Worked household cases (each pack's tests.yaml): households taken from the documents' own words, with the
entitlements they must and must not get. Run by pytest and by `cradle cases`.

    - name: 二孩在备案普惠托育机构入托，每月300元
      source: 二（四）2 “二孩、三孩及以上婴幼儿，各区县按照每人每月300元、500元标准给予保育费补助”
      on: 2025-07-01
      household: {jurisdiction: "370303", members: [...], events: [...]}
      expect:   # each entry must match an entitlement on every key given (period keys too); `explains`: words
                # the explanation must contain; `times`: exactly that many entitlements match (twins' one delivery)
        - {program: zibo.nursery_fee_subsidy, beneficiary: c2, amount: 300, period: {end: "2028-03-10"}}
        - {program: sx.paternity_leave, beneficiary: f, times: 1}
      absent:   # no entitlement may match these keys
        - {program: zibo.nursery_fee_subsidy, beneficiary: c1}
      errors: [members[2].birth_date]   # instead of expect: the input must be refused naming these fields
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cradle import yamltext
from cradle.errors import Problems
from cradle.policy.calc import calc_household
from cradle.policy.errors import PackError
from cradle.policy.packs import load_packs


@dataclass
class Case:
    pack: str
    name: str
    source: str
    on: dt.date
    household: dict
    expect: list[dict]
    absent: list[dict]
    errors: list[str]

    @property
    def id(self) -> str:
        return f"{self.pack}: {self.name}"


def load_cases(pack: str | None = None) -> list[Case]:
    cases = []
    for p in sorted(load_packs(), key=lambda p: p.id):
        path = p.path / "tests.yaml"
        if (pack and p.id != pack) or not path.exists():
            continue
        for i, raw in enumerate(yamltext.parse(path.read_text(encoding="utf-8")) or []):
            if True in raw:  # YAML 1.1 reads a bare `on:` key as the boolean true
                raw["on"] = raw.pop(True)
            unknown = set(raw) - {"name", "source", "on", "household", "expect", "absent", "errors"}
            if unknown or "household" not in raw or "name" not in raw:
                raise PackError(f"{path}[{i}]: needs name and household; unknown keys {sorted(unknown)}")
            on = raw.get("on", dt.date(2025, 7, 1))
            cases.append(
                Case(
                    path.parent.name,
                    raw["name"],
                    raw.get("source", ""),
                    on if isinstance(on, dt.date) else dt.date.fromisoformat(on),
                    _stringify_dates(raw["household"]),
                    raw.get("expect") or [],
                    raw.get("absent") or [],
                    raw.get("errors") or [],
                )
            )
    return cases


def _stringify_dates(value):
    """YAML reads 2025-03-10 as a date; the household format (like JSON) carries ISO strings."""
    if isinstance(value, dict):
        return {k: _stringify_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify_dates(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _matches(ent: dict, want: dict) -> bool:
    for key, value in want.items():
        if key == "times":
            continue
        have = ent.get(key)
        if key == "explains":
            if str(value) not in ent.get("explanation", ""):
                return False
        elif isinstance(value, dict):
            if not isinstance(have, dict) or not _matches(have, value):
                return False
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            # e.g. citations: each listed one names the keys it checks (a citation's title is not restated)
            if not isinstance(have, list) or len(have) != len(value):
                return False
            if not all(_matches(h, w) for h, w in zip(have, value, strict=True)):
                return False
        elif isinstance(value, dt.date):
            if have != value.isoformat():
                return False
        elif isinstance(value, float | int) and isinstance(have, float | int) and not isinstance(value, bool):
            if abs(have - value) > 0.005:
                return False
        elif have != value:
            return False
    return True


def check_case(case: Case) -> list[str]:
    """The problems with `case` (empty when it passes)."""
    try:
        result = calc_household(case.household, case.on, explain=True)
    except Problems as e:
        got = sorted({err.field or "" for err in e.items()})
        if case.errors:
            missing = [f for f in case.errors if f not in got]
            return [f"expected errors on {missing}, got {got}"] if missing else []
        return [f"input refused: {e}"]
    if case.errors:
        return [f"expected errors on {case.errors}, but the input was accepted"]
    problems = []
    ents = result["entitlements"]
    for want in case.expect:
        hits = sum(_matches(e, want) for e in ents)
        if not hits or hits != want.get("times", hits):
            same = [e for e in ents if e["program"] == want.get("program")]
            problems.append(f"missing {want} (matched {hits}); got for that program: {same or 'nothing'}")
    for bad in case.absent:
        hits = [e for e in ents if _matches(e, bad)]
        if hits:
            problems.append(f"should not get {bad}; got {hits}")
    return problems
