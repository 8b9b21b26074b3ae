"""Field encryption cost: per value (AES-256-SIV and SM4-SIV, encrypt and decrypt); the registry's ID numbers
read through their column (decrypted, as every query reads them) beside the same rows read as stored, in the same
run; and `cradle keys rotate` re-encrypting a registry of persons on SQLite.

    .venv/bin/python benchmarks/fieldcrypt.py [--values 50000] [--persons 50000]

The load average is printed beside the figures: the machine may be shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import time

from sqlalchemy import insert, select


def loadavg() -> str:
    with open("/proc/loadavg") as fh:
        return " ".join(fh.read().split()[:3])


def per_value(n: int) -> None:
    from cradle import fieldcrypt
    from cradle.idcard import make_id_number

    numbers = [
        make_id_number("370303", dt.date(1990, 1, 1) + dt.timedelta(days=i % 9000), i % 999, "F")
        for i in range(n)
    ]
    for mode in ("aes", "sm"):
        os.environ["CRADLE_CRYPTO"] = mode
        ring = fieldcrypt.keyring()
        t = time.perf_counter()
        stored = ring.encrypt_many(numbers)
        enc = time.perf_counter() - t
        t = time.perf_counter()
        ring.decrypt_many(stored)
        dec = time.perf_counter() - t
        print(
            f"{mode:>3}: encrypt {enc / n * 1e6:6.1f} µs/value ({n / enc:,.0f}/s), "
            f"decrypt {dec / n * 1e6:6.1f} µs/value ({n / dec:,.0f}/s)  load {loadavg()}"
        )


def reads(engine, person, repeat: int = 3) -> None:
    """The persons' ID numbers read through their column (decrypted) and as stored, best of `repeat` each."""
    from cradle.fieldcrypt import as_stored

    decrypted, stored = select(person.id_number), select(as_stored(person.id_number))
    best = {}
    for _ in range(repeat):
        for name, query in (("decrypted", decrypted), ("stored", stored)):
            with engine.connect() as c:
                t = time.perf_counter()
                n = len(c.execute(query).all())
                took = time.perf_counter() - t
            best[name] = min(best.get(name, took), took)
    extra = (best["decrypted"] - best["stored"]) / n * 1e6
    print(
        f"read {n:,} ID numbers: through the column {best['decrypted']:.3f} s, as stored {best['stored']:.3f} s "
        f"({best['decrypted'] / best['stored']:.2f}x; decrypting {extra:.2f} µs a value)  load {loadavg()}"
    )


def rotation(persons: int) -> None:
    from cradle import fieldcrypt
    from cradle.db import make_engine, upgrade
    from cradle.idcard import make_id_number
    from cradle.keyrotation import rotate
    from cradle.registry.models import Person

    os.environ["CRADLE_CRYPTO"] = "aes"
    os.environ["CRADLE_FIELD_KEYS"] = "k1:" + fieldcrypt.new_key()
    with tempfile.TemporaryDirectory() as d:
        url = f"sqlite:///{d}/rot.db"
        upgrade(url)
        engine = make_engine(url)
        numbers = sorted(
            {
                make_id_number("370303", dt.date(1950, 1, 1) + dt.timedelta(days=i // 400), i % 400, "F")
                for i in range(persons)
            }
        )
        rows = [
            {
                "id_number": n,
                "name": f"人{i}",
                "sex": "F",
                "birth_date": dt.date(1990, 1, 1),
                "region": "370303",
            }
            for i, n in enumerate(numbers)
        ]
        with engine.begin() as c:
            c.execute(insert(Person), rows)
        reads(engine, Person)
        os.environ["CRADLE_FIELD_KEYS"] = f"k2:{fieldcrypt.new_key()},{os.environ['CRADLE_FIELD_KEYS']}"
        t = time.perf_counter()
        report = rotate(engine, batch=2000)
        took = time.perf_counter() - t
        n = report.columns["registry_person.id_number"]
        print(
            f"rotate: {n:,} persons re-encrypted k1→k2 on SQLite in {took:.1f} s ({n / took:,.0f} rows/s)  "
            f"load {loadavg()}"
        )


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--values", type=int, default=50000)
    ap.add_argument("--persons", type=int, default=50000)
    args = ap.parse_args()
    per_value(args.values)
    rotation(args.persons)
