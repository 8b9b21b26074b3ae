"""Writes a synthetic population as the seven department feeds, with a known share of dirty rows.

Each file is in its department's format (docs/feeds/). `manifest.json` says what a correct ingest must end
with: rows per file, rows that must be stored, exact duplicates, and the dirty rows by reason;
`dirty_rows.csv` lists every dirty row with the field and reason the quarantine must show.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import polars as pl

from cradle.registry.feeds import FEEDS
from cradle.synth import health
from cradle.synth.population import DAY, Population

# How each department's file is written: exercises every reader (CSV UTF-8 and GB18030, Excel, Parquet).
FORMATS = {
    "gongan": ("csv", "utf-8"),
    "weijian": ("csv", "utf-8"),
    "minzheng": ("csv", "gb18030"),
    "jiaoyu": ("xlsx", None),
    "yibao": ("parquet", None),
    "renshe": ("csv", "utf-8"),
    "tongji": ("csv", "gb18030"),
    "fuyou_maternal": ("csv", "utf-8"),
    "fuyou_child": ("csv", "utf-8"),
    "fuyou_death": ("csv", "utf-8"),
    "fuyou_women": ("csv", "gb18030"),
}
SEXCODE = {"M": "1", "F": "2"}


def _iso(a: np.ndarray) -> list[str | None]:
    return [None if np.isnat(x) else str(x) for x in a]


TOWNS = 12  # 乡镇/街道 per synthetic county, codes <county>101 … <county>112


def _towns(p: Population, idx: np.ndarray, regions=None) -> list[str]:
    """Each person's 乡镇/街道: their household's, inside `regions` (one per person; default the county)."""
    suffix = (101 + p.household[idx] % TOWNS).astype(str)
    return np.char.add(
        np.asarray(regions if regions is not None else [p.county] * len(idx), dtype="<U6"), suffix
    ).tolist()


def _base(p: Population, idx: np.ndarray, event, when: np.ndarray, prefix: str) -> dict[str, list]:
    return {
        "town": _towns(p, idx),
        "record_no": [f"{prefix}{i:09d}" for i in range(len(idx))],
        "id_number": p.id_number[idx].tolist(),
        "name": p.name[idx].tolist(),
        "sex": [SEXCODE[s] for s in p.sex[idx]],
        "birth_date": _iso(p.birth[idx]),
        "event": list(event) if not isinstance(event, str) else [event] * len(idx),
        "event_date": _iso(when),
    }


def _frame(dept: str, cols: dict[str, list]) -> pl.DataFrame:
    names = FEEDS[dept].names
    n = len(cols["record_no"])
    return pl.DataFrame({c: cols.get(c, [None] * n) for c in names}, schema=dict.fromkeys(names, pl.String))


def _cat(dept: str, parts: list[dict[str, list]], prefix: str) -> pl.DataFrame:
    df = pl.concat([_frame(dept, p) for p in parts if len(p["record_no"])])
    return df.with_columns(
        (pl.lit(prefix) + pl.int_range(1, df.height + 1).cast(pl.String).str.zfill(9)).alias("record_no")
    )


def gongan(p: Population, rng) -> pl.DataFrame:
    today = np.datetime64(p.as_of, "D")
    everyone = np.arange(p.n)
    hh = [f"{p.county}{h:07d}" for h in p.household]
    reg = _base(
        p,
        everyone,
        np.where(np.isnat(p.moved_in), "register", "move_in"),
        np.where(np.isnat(p.moved_in), p.birth, p.moved_in),
        "",
    )
    reg |= {
        "hukou_region": [p.county] * p.n,
        "household_no": hh,
        "relation_to_head": p.rel_to_head.tolist(),
        "hukou_type": np.where(p.rural, "1", "2").tolist(),
    }
    parts = [reg]
    out = np.flatnonzero(~np.isnat(p.moved_out))
    dead = np.flatnonzero(~np.isnat(p.death) & np.isnat(p.moved_out))
    fix = np.flatnonzero(rng.random(p.n) < 0.005)
    for idx, event, when in ((out, "move_out", p.moved_out[out]), (dead, "death", p.death[dead])):
        part = _base(p, idx, event, when, "")
        part |= {"hukou_region": [p.county] * len(idx), "household_no": [hh[i] for i in idx]}
        parts.append(part)
    fixed_on = np.minimum(p.birth[fix] + rng.integers(1, 20 * 365, len(fix)) * DAY, today - DAY)
    part = _base(p, fix, "correct", fixed_on, "")
    part["name"] = [n[0] + "晓" + n[1:] for n in part["name"]]  # a corrected given name
    part |= {"hukou_region": [p.county] * len(fix), "household_no": [hh[i] for i in fix]}
    parts.append(part)
    return _cat("gongan", parts, "GA")


def weijian(p: Population, rng) -> tuple[pl.DataFrame, int]:
    today = np.datetime64(p.as_of, "D")
    kids = np.flatnonzero((p.mother >= 0) & (p.birth >= np.datetime64("2000-01-01")))
    kids = kids[np.lexsort((kids, p.birth[kids]))]
    order, babies = {}, {}
    orders = []
    for k in kids:
        m = p.mother[k]
        order[m] = order.get(m, 0) + 1
        orders.append(order[m])
        babies[(m, p.birth[k])] = babies.get((m, p.birth[k]), 0) + 1
    b = _base(p, kids, "birth", p.birth[kids], "")
    recent = (today - p.birth[kids]).astype(int) < 365
    unnumbered = recent & (rng.random(len(kids)) < 0.05)
    b["id_number"] = [None if u else x for u, x in zip(unnumbered, b["id_number"], strict=True)]
    mode = rng.choice(["1", "2", "3"], len(kids), p=[0.52, 0.45, 0.03])
    cost = np.where(mode == "2", rng.integers(60, 120, len(kids)), rng.integers(30, 60, len(kids))) * 100
    mothers, fathers = p.mother[kids], p.father[kids]
    has_f = fathers >= 0
    b |= {
        "region": [p.county] * len(kids),
        "mother_id_number": p.id_number[mothers].tolist(),
        "mother_name": p.name[mothers].tolist(),
        "mother_birth_date": _iso(p.birth[mothers]),
        "father_id_number": np.where(has_f, p.id_number[np.maximum(fathers, 0)], None).tolist(),
        "father_name": np.where(has_f, p.name[np.maximum(fathers, 0)], None).tolist(),
        "birth_order": [str(o) for o in orders],
        "babies": [str(babies[(m, d)]) for m, d in zip(mothers, p.birth[kids], strict=True)],
        "delivery_mode": mode.tolist(),
        "dystocia": np.where(rng.random(len(kids)) < 0.04, "1", "0").tolist(),
        "in_policy_cost": [str(c) for c in cost],
    }
    fp = np.flatnonzero(p.fp_status != "")
    first_child = {}
    for k in np.flatnonzero(p.mother >= 0)[np.argsort(p.birth[p.mother >= 0])]:
        first_child.setdefault(p.mother[k], k)
        first_child.setdefault(p.father[k], k)
    when = []
    for i in fp:
        kid = first_child.get(i)
        base = p.birth[kid] + 400 * DAY if kid is not None else today - 3650 * DAY
        if p.fp_status[i].startswith("special") and kid is not None and not np.isnat(p.death[kid]):
            base = p.death[kid] + 90 * DAY
        when.append(min(base, today - DAY))
    f = _base(p, fp, p.fp_status[fp].tolist(), np.array(when, dtype="datetime64[D]"), "")
    f["region"] = [p.county] * len(fp)
    return _cat("weijian", [b, f], "WJ"), int(unnumbered.sum())


def minzheng(p: Population, rng) -> pl.DataFrame:
    today = np.datetime64(p.as_of, "D")
    wives = np.flatnonzero((p.sex == "F") & (p.spouse >= 0))
    parts = []
    for event, idx, when in (
        ("marriage", wives, p.married_on[wives]),
        ("divorce", wives[~np.isnat(p.divorced_on[wives])], None),
    ):
        when = p.divorced_on[idx] if when is None else when
        part = _base(p, idx, event, when, "")
        h = p.spouse[idx]
        part |= {
            "region": [p.county] * len(idx),
            "spouse_id_number": p.id_number[h].tolist(),
            "spouse_name": p.name[h].tolist(),
            "spouse_birth_date": _iso(p.birth[h]),
            "spouse_sex": [SEXCODE[s] for s in p.sex[h]],
        }
        parts.append(part)
    dead = np.flatnonzero(~np.isnat(p.death))
    parts.append(_base(p, dead, "death", p.death[dead], "") | {"region": [p.county] * len(dead)})
    poor = np.flatnonzero(p.low_income & np.isnat(p.death))
    since = np.maximum(today - rng.integers(30, 3 * 365, len(poor)) * DAY, p.birth[poor] + DAY)
    parts.append(_base(p, poor, "low_income_start", since, "") | {"region": [p.county] * len(poor)})
    return _cat("minzheng", parts, "MZ")


def jiaoyu(p: Population, rng) -> pl.DataFrame:
    today = np.datetime64(p.as_of, "D")
    age_days = (today - p.birth).astype(int)
    alive = np.isnat(p.death)
    kinds = {"nursery": ("1", 0.3, 0.7, 0.9), "kindergarten": ("2", 0.5, 0.85, 1.0)}
    pools = {}
    for kind, (code, pub, inc, reg) in kinds.items():
        pools[kind] = [
            (
                f"52{p.county}MJ{kind[0].upper()}{i:03d}00"[:18],
                f"{'第' + str(i + 1)}{'托育园' if code == '1' else '幼儿园'}",
                str(int(rng.random() < pub)),
                str(int(rng.random() < inc)),
                str(int(rng.random() < reg)),
            )
            for i in range(12)
        ]
    parts = []
    nursery = np.flatnonzero(alive & (age_days >= 365) & (age_days < 3 * 365) & (rng.random(p.n) < 0.12))
    kg = np.flatnonzero(alive & (age_days >= 3 * 365 + 60) & (age_days < 6 * 365) & (rng.random(p.n) < 0.9))
    left = np.flatnonzero(alive & (age_days >= 6 * 365 + 60) & (age_days < 8 * 365) & (rng.random(p.n) < 0.9))
    for kind, idx, start, event in (
        ("nursery", nursery, p.birth[nursery] + (365 + rng.integers(0, 300, len(nursery))) * DAY, "enrol"),
        ("kindergarten", kg, p.birth[kg] + (3 * 365 + rng.integers(0, 60, len(kg))) * DAY, "enrol"),
        ("kindergarten", left, p.birth[left] + 3 * 365 * DAY, "enrol"),
        ("kindergarten", left, p.birth[left] + 6 * 365 * DAY, "leave"),
    ):
        start = np.minimum(start, today - DAY)
        inst = [pools[kind][j] for j in rng.integers(0, 12, len(idx))]
        part = _base(p, idx, event, start, "")
        part |= {
            "care_type": [kinds[kind][0]] * len(idx),
            "institution_code": [i[0] for i in inst],
            "institution_name": [i[1] for i in inst],
            "public": [i[2] for i in inst],
            "inclusive": [i[3] for i in inst],
            "registered": [i[4] for i in inst],
            "region": [p.county] * len(idx),
        }
        parts.append(part)
    return _cat("jiaoyu", parts, "JY")


def yibao(p: Population, rng) -> pl.DataFrame:
    today = np.datetime64(p.as_of, "D")
    alive = np.isnat(p.death) & np.isnat(p.moved_out) & (rng.random(p.n) < 0.97)
    emp = np.flatnonzero(alive & (p.employment == "employee"))
    flex_emp = np.flatnonzero(alive & (p.employment == "flexible") & (rng.random(p.n) < 0.25))
    res = np.setdiff1d(np.flatnonzero(alive), np.r_[emp, flex_emp])
    res_from = np.minimum(np.maximum(p.birth[res] + 60 * DAY, np.datetime64("2008-01-01")), today - DAY)
    parts = []
    for scheme, idx, when in (
        ("310", emp, p.employed_from[emp]),
        ("510", emp, p.employed_from[emp]),
        ("310", flex_emp, p.employed_from[flex_emp]),
        ("510", flex_emp[p.sex[flex_emp] == "F"], p.employed_from[flex_emp][p.sex[flex_emp] == "F"]),
        ("390", res, res_from),
    ):
        parts.append(
            _base(p, idx, "enrol", when, "")
            | {"scheme": [scheme] * len(idx), "region": [p.county] * len(idx)}
        )
    return _cat("yibao", parts, "YB")


def renshe(p: Population, rng) -> pl.DataFrame:
    idx = np.flatnonzero(p.employment != "none")
    part = _base(
        p,
        idx,
        np.where(p.employment[idx] == "employee", "employed", "flexible").tolist(),
        p.employed_from[idx],
        "",
    )
    part |= {
        "employer_code": [e or None for e in p.employer[idx]],
        "employer_avg_monthly_wage": [str(w) if w else None for w in p.wage[idx]],
        "region": [p.county] * len(idx),
    }
    return _cat("renshe", [part], "RS")


def tongji(p: Population, rng) -> pl.DataFrame:
    today = np.datetime64(p.as_of, "D")
    idx = np.flatnonzero(p.resident_region != "")
    when = np.minimum(
        np.maximum(today - rng.integers(30, 5 * 365, len(idx)) * DAY, p.birth[idx] + 18 * 365 * DAY),
        today - DAY,
    )
    part = _base(p, idx, "resident", when, "") | {
        "region": p.resident_region[idx].tolist(),
        "town": _towns(p, idx, p.resident_region[idx]),
    }
    return _cat("tongji", [part], "TJ")


BUILDERS = {
    "gongan": gongan,
    "weijian": weijian,
    "minzheng": minzheng,
    "jiaoyu": jiaoyu,
    "yibao": yibao,
    "renshe": renshe,
    "tongji": tongji,
}
_REGION_COL = {"gongan": "hukou_region"}
_CHECK = "0123456789X"


def _dirty(
    dept: str, df: pl.DataFrame, rate: float, rng, p: Population
) -> tuple[pl.DataFrame, list[dict], int]:
    """Corrupt a share of rows (one fault each) and append duplicates and conflicting repeats."""
    n = df.height
    k = int(round(n * rate))
    picks = rng.choice(n, size=min(k + k // 2, n), replace=False) if n else np.array([], dtype=int)
    picks.sort()
    rows = dict(zip(picks.tolist(), df[picks.tolist()].to_dicts(), strict=True))  # only the rows touched
    region_col = _REGION_COL.get(dept, "region")
    girls = np.flatnonzero(p.sex == "F")
    faults: list[dict] = []
    plain = []
    for i in picks:
        if len(faults) >= k:
            plain.append(i)
            continue
        r = rows[i]
        kinds = ["id_checksum", "birth_date_mismatch", "sex_enum", "missing_name", "date_format", "region"]
        if r["event"] == "death":
            kinds.append("death_before_birth")
        if r["event"] == "birth":
            kinds += ["mother_too_young"] * 3
        kind = (
            kinds[len(faults) % len(kinds)] if r["id_number"] else kinds[2 + len(faults) % (len(kinds) - 2)]
        )
        if kind == "id_checksum":
            c = r["id_number"][-1]
            r["id_number"] = r["id_number"][:-1] + _CHECK[(_CHECK.index(c) + 1) % 11]
            fault = ("id_number", "id_checksum")
        elif kind == "birth_date_mismatch":
            r["birth_date"] = str(
                dt.date.fromisoformat(r["birth_date"]) - dt.timedelta(days=int(rng.integers(1, 30)))
            )
            fault = ("birth_date", "birth_date_mismatch")
        elif kind == "sex_enum":
            r["sex"] = "9"
            fault = ("sex", "enum")
        elif kind == "missing_name":
            r["name"] = ""
            fault = ("name", "missing")
        elif kind == "date_format":
            r["event_date"] = r["event_date"][:4] + "-02-30"
            fault = ("event_date", "date_format")
        elif kind == "region":
            r[region_col] = "999999"
            fault = (region_col, "region_unknown")
        elif kind == "death_before_birth":
            r["event_date"] = str(dt.date.fromisoformat(r["birth_date"]) - dt.timedelta(days=1))
            fault = ("event_date", "death_before_birth")
        else:  # a "mother" who was not 12 at the birth
            child_bd = np.datetime64(r["birth_date"])
            young = girls[p.birth[girls] > child_bd - 11 * 365 * DAY]
            if len(young) == 0:
                continue
            g = young[int(rng.integers(0, len(young)))]
            r["mother_id_number"], r["mother_name"] = str(p.id_number[g]), str(p.name[g])
            r["mother_birth_date"] = str(p.birth[g])
            fault = ("mother_birth_date", "mother_too_young")
        faults.append(
            {
                "dept": dept,
                "row_no": int(i) + 2,
                "field": fault[0],
                "reason": fault[1],
                "record_no": r["record_no"],
            }
        )
    dup = [dict(rows[i]) for i in plain[: len(plain) // 2]]
    conflict = []
    for i in plain[len(plain) // 2 :]:
        r = dict(rows[i])
        r["name"] = r["name"] + "某"
        conflict.append(r)
    for j, r in enumerate(conflict):
        faults.append(
            {
                "dept": dept,
                "row_no": n + len(dup) + j + 2,
                "field": "record_no",
                "reason": "record_conflict",
                "record_no": r["record_no"],
            }
        )
    touched = sorted({f["row_no"] - 2 for f in faults if f["reason"] != "record_conflict"})
    mods = pl.DataFrame([rows[i] for i in touched], schema=df.schema).with_columns(
        pl.Series("_i", touched, dtype=pl.UInt32)
    )
    out = df.with_row_index("_i").update(mods, on="_i", include_nulls=True).drop("_i")
    out = pl.concat([out, pl.DataFrame(dup + conflict, schema=df.schema)])
    return out, faults, len(dup)


def _write(df: pl.DataFrame, path: Path, fmt: str, encoding: str | None) -> None:
    if fmt == "parquet":
        df.write_parquet(path)
    elif fmt == "xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet()
        ws.append(df.columns)
        for row in df.iter_rows():
            ws.append(row)
        wb.save(path)
    elif encoding == "utf-8":
        df.write_csv(path)
    else:
        with open(path, "w", encoding=encoding, newline="") as fh:
            fh.write(df.write_csv())


def write_feeds(
    p: Population,
    out: Path,
    *,
    seed: int,
    dirty_rate: float = 0.02,
    depts: list[str] | None = None,
    formats: dict | None = None,
    health_rates: health.HealthRates | None = None,
) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed + 1)
    formats = {**FORMATS, **(formats or {})}
    manifest = {
        "region": p.county,
        "persons": p.n,
        "seed": seed,
        "as_of": p.as_of.isoformat(),
        "dirty_rate": dirty_rate,
        "feeds": {},
    }
    all_faults, ids, unnumbered = [], set(), 0
    fuyou = None  # the 妇幼 feeds are drawn together (a death names its pregnancy), after the others
    for dept in depts or [*BUILDERS, *health.DEPTS]:
        if dept in health.DEPTS:
            fuyou = fuyou or health.frames(p, np.random.default_rng(seed + 2), health_rates)
            built = fuyou[dept]
        else:
            built = BUILDERS[dept](p, rng)
        if dept == "weijian":
            built, unnumbered = built
        df, faults, dups = _dirty(dept, built, dirty_rate, rng, p)
        fmt, enc = formats[dept]
        name = f"{dept}.{fmt}"
        _write(df, out / name, fmt, enc)
        bad_rows = {f["row_no"] for f in faults}
        clean = df.with_row_index("_i").filter(~(pl.col("_i") + 2).is_in(list(bad_rows)))
        for col in ("id_number", "mother_id_number", "father_id_number", "spouse_id_number"):
            if col in clean.columns:
                ids.update(v for v in clean[col].to_list() if v)
        reasons: dict[str, int] = {}
        for f in faults:
            reasons[f["reason"]] = reasons.get(f["reason"], 0) + 1
        manifest["feeds"][dept] = {
            "file": name,
            "format": fmt,
            "encoding": enc,
            "rows": df.height,
            "stored": df.height - len(faults) - dups,
            "duplicates": dups,
            "dirty": reasons,
        }
        all_faults += faults
    manifest["distinct_id_numbers"] = len(ids)
    manifest["unnumbered_births"] = unnumbered
    pl.DataFrame(
        all_faults,
        schema={
            "dept": pl.String,
            "row_no": pl.Int64,
            "field": pl.String,
            "reason": pl.String,
            "record_no": pl.String,
        },
    ).write_csv(out / "dirty_rows.csv")
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return manifest
