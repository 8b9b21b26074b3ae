"""Registry ingest with ID numbers encrypted at rest, under AES-256-SIV and SM4-SIV, on SQLite and PostgreSQL:
the column holds no plain number, persons keep their region, the API finds them by number, masks the list and
audits each full view."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from cradle.audit import AuditEntry
from cradle.auth import roles
from cradle.auth.testing import bearer_for
from cradle.db import make_engine, upgrade
from cradle.fieldcrypt import keyring
from cradle.registry import models as m
from cradle.registry.ingest import ingest_directory

PLAIN_ID = re.compile(r"\d{17}[\dX]")


@pytest.mark.parametrize("mode", ["aes", "sm"])
def test_ingested_numbers_are_encrypted_and_still_found(county_feeds, db_url, monkeypatch, mode):
    monkeypatch.setenv("CRADLE_CRYPTO", mode)
    upgrade(db_url)
    engine = make_engine(db_url)
    ingest_directory(county_feeds[0], engine=engine)
    with engine.connect() as c:
        raw = c.execute(
            text("SELECT id_number, region FROM registry_person WHERE id_number IS NOT NULL")
        ).all()
        births = c.execute(text("SELECT count(*) FROM registry_birth")).scalar()
    assert len(raw) > 1000 and births > 100  # the joins on the encrypted number found mothers and children
    ring = keyring()
    assert not any(PLAIN_ID.search(v) for v, _ in raw)
    assert all(v.startswith(ring.prefix) and ring.decrypt(v)[:6] == region for v, region in raw)

    monkeypatch.setenv("CRADLE_DATABASE_URL", db_url)
    from cradle.web.app import create_app

    client = TestClient(create_app(["cradle.registry.api"]))
    with Session(engine) as s:
        p = s.execute(
            select(m.Person)
            .where(m.Person.region == "441523", m.Person.id_number.is_not(None))
            .order_by(m.Person.id)
            .limit(1)
        ).scalar_one()
        views = s.execute(select(AuditEntry).where(AuditEntry.action == "view_unmasked")).all()
    city = bearer_for(db_url, roles.CITY, "441500")
    (hit,) = client.get("/api/v1/registry/persons", params={"id_number": p.id_number}, headers=city).json()[
        "persons"
    ]
    assert hit["masked"] and hit["id"] == p.id and p.id_number not in str(hit)
    listed = client.get("/api/v1/registry/persons", params={"name": p.name}, headers=city).json()["persons"]
    assert listed and all(x["masked"] and not PLAIN_ID.fullmatch(x["id_number"]) for x in listed)
    county = bearer_for(db_url, roles.COUNTY, "441523")
    (hit,) = client.get("/api/v1/registry/persons", params={"id_number": p.id_number}, headers=county).json()[
        "persons"
    ]
    assert hit["id_number"] == p.id_number and not hit["masked"]
    with Session(engine) as s:
        after = (
            s.execute(select(AuditEntry).where(AuditEntry.action == "view_unmasked").order_by(AuditEntry.seq))
            .scalars()
            .all()
        )
    assert len(after) == len(views) + 1 and after[-1].subject.endswith(str(p.id))
    assert p.id_number not in str(after[-1].detail)
    engine.dispose()
