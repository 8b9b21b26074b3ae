"""The migrations' layout: one folder per Alembic branch, files numbered within their branch; and a database
stamped by the layout before the move (every revision in `migrations/versions/`, numbers shared across branches)
upgrades with the new one."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import Script, ScriptDirectory
from sqlalchemy import text
from sqlalchemy.orm import Session

from cradle import fieldcrypt
from cradle.config import PROJECT_ROOT
from cradle.db import make_engine, upgrade
from cradle.registry.models import Person

MIGRATIONS = PROJECT_ROOT / "migrations"
ROOT_REVISION = "0000_base"
FILE_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.py$")

# The files as they were before the move (migrations/versions/<revision>.py), where each went, and the revision
# it chains on: the revision ids and the graph the databases in use carry, which the move keeps.
BEFORE_MOVE = {
    "0000_base": ("base/0000_base.py", None),
    "0001_registry": ("registry/0001_tables.py", "0000_base"),
    "0008_registry_scope": ("registry/0002_scope.py", "0001_registry"),
    "0010_registry_field_encryption": ("registry/0003_field_encryption.py", "0008_registry_scope"),
    "0012_registry_quarantine_crypt": ("registry/0004_quarantine_crypt.py", "0010_registry_field_encryption"),
    "0013_registry_unnumbered_index": ("registry/0005_unnumbered_index.py", "0012_registry_quarantine_crypt"),
    "0014_registry_quarantine_town": ("registry/0006_quarantine_town.py", "0013_registry_unnumbered_index"),
    "0016_registry_kinship_scope": ("registry/0007_kinship_scope.py", "0014_registry_quarantine_town"),
    "0002_childcare": ("childcare/0001_tables.py", "0000_base"),
    "0009_childcare_actors_quarantine": ("childcare/0002_actors_quarantine.py", "0002_childcare"),
    "0010_childcare_field_encryption": (
        "childcare/0003_field_encryption.py",
        "0009_childcare_actors_quarantine",
    ),
    "0003_monitoring": ("monitoring/0001_tables.py", "0000_base"),
    "0004_services": ("services/0001_tables.py", "0000_base"),
    "0007_services_audit_chains": ("services/0002_audit_chains.py", "0004_services"),
    "0010_services_field_encryption": ("services/0003_field_encryption.py", "0007_services_audit_chains"),
    "0011_services_case_snapshots": ("services/0004_case_snapshots.py", "0010_services_field_encryption"),
    "0012_services_bundle_crypt": ("services/0005_bundle_crypt.py", "0011_services_case_snapshots"),
    "0005_payments": ("payments/0001_tables.py", "0000_base"),
    "0009_payments_claim": ("payments/0002_claim.py", "0005_payments"),
    "0010_payments_field_encryption": ("payments/0003_field_encryption.py", "0009_payments_claim"),
    "0015_payments_entitlement_period": (
        "payments/0004_entitlement_period.py",
        "0010_payments_field_encryption",
    ),
    "0006_auth": ("auth/0001_tables.py", "0000_base"),
    "0010_auth_field_encryption": ("auth/0002_field_encryption.py", "0006_auth"),
    "0007_batch": ("batch/0001_tables.py", "0000_base"),
}


def _config(url: str | None = None) -> Config:
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    if url:
        cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def layout_problems(migrations: Path, version_locations: list[str]) -> list[str]:
    """What breaks the rules of docs/development.md: every revision folder listed in alembic.ini's
    version_locations; the shared root alone in `base/` as 0000; in each domain's folder, files `NNNN_<slug>.py`
    numbered 0001, 0002, … along the branch's chain, no number twice, the first labelled with the folder's name."""
    problems = []
    folders = sorted(p.resolve() for p in migrations.iterdir() if p.is_dir() and p.name != "__pycache__")
    listed = {Path(v).resolve() for v in version_locations}
    problems += [f"{f.name}/: not in alembic.ini's version_locations" for f in folders if f not in listed]
    problems += [f"{v}: in version_locations, not a folder" for v in sorted(map(str, listed - set(folders)))]
    for folder in folders:
        numbers: dict[str, list[str]] = {}
        for f in sorted(folder.glob("*.py")):
            match = FILE_NAME.match(f.name)
            if match is None:
                problems.append(f"{folder.name}/{f.name}: not named NNNN_<slug>.py")
            else:
                numbers.setdefault(match.group(1), []).append(f.name)
        problems += [
            f"{folder.name}/: {', '.join(names)} share the number {n}"
            for n, names in numbers.items()
            if len(names) > 1
        ]
    if problems:  # the chains are read only from a layout Alembic can load
        return problems
    by_folder: dict[str, dict[str, Script]] = {}
    for script in ScriptDirectory(str(migrations), version_locations=version_locations).walk_revisions():
        path = Path(script.path)
        by_folder.setdefault(path.parent.name, {})[path.name] = script
    for folder, scripts in sorted(by_folder.items()):
        if folder == "base":
            root = scripts.get("0000_base.py")
            if (
                len(scripts) != 1
                or root is None
                or (root.revision, root.down_revision) != (ROOT_REVISION, None)
            ):
                problems.append(
                    f"base/: holds {sorted(scripts)}; the root revision {ROOT_REVISION} alone belongs here"
                )
            continue
        expected_down = ROOT_REVISION
        for n, name in enumerate(sorted(scripts), 1):
            script = scripts[name]
            if not name.startswith(f"{n:04d}_"):
                problems.append(f"{folder}/{name}: number {n:04d} expected (counted within the branch)")
            if script.down_revision != expected_down:
                problems.append(f"{folder}/{name}: revises {script.down_revision}, not {expected_down}")
            labels = tuple(script.module.branch_labels or ())  # as written (Alembic's own list spreads down)
            if n == 1 and labels != (folder,):
                problems.append(f"{folder}/{name}: first revision's branch label is not {folder!r}")
            if n > 1 and labels:
                problems.append(f"{folder}/{name}: a later revision opens branch {list(labels)}")
            expected_down = script.revision
    return problems


def test_each_branch_has_its_folder_and_numbers_count_within_it():
    locations = _config().get_version_locations_list()
    assert layout_problems(MIGRATIONS, locations) == []


def test_the_move_kept_every_revision_id_and_what_it_revises():
    scripts = ScriptDirectory.from_config(_config())
    moved = {
        s.revision: (Path(s.path).relative_to(MIGRATIONS).as_posix(), s.down_revision)
        for s in scripts.walk_revisions()
    }
    assert {rev: moved.get(rev) for rev in BEFORE_MOVE} == BEFORE_MOVE
    domains = [f for f in MIGRATIONS.iterdir() if f.is_dir() and f.name not in ("base", "__pycache__")]
    assert len(scripts.get_heads()) == len(domains)  # one head per domain's branch


def _copy(migrations: Path, tmp_path: Path, moves: dict[str, str]) -> Path:
    out = tmp_path / "migrations"
    shutil.copytree(migrations, out, ignore=shutil.ignore_patterns("__pycache__"))
    for source, target in moves.items():
        (out / target).parent.mkdir(parents=True, exist_ok=True)
        (out / source).rename(out / target)
    return out


def test_a_number_twice_in_a_branch_is_found(tmp_path):
    copy = _copy(MIGRATIONS, tmp_path, {"registry/0007_kinship_scope.py": "registry/0006_kinship_scope.py"})
    locations = [str(copy / Path(v).name) for v in _config().get_version_locations_list()]
    assert layout_problems(copy, locations) == [
        "registry/: 0006_kinship_scope.py, 0006_quarantine_town.py share the number 0006"
    ]


def test_a_folder_alembic_does_not_read_and_a_number_out_of_turn_are_found(tmp_path):
    copy = _copy(
        MIGRATIONS,
        tmp_path,
        {"registry/0010_unique_indexes.py": "registry/0011_unique_indexes.py", "batch": "extra"},
    )
    locations = [str(copy / Path(v).name) for v in _config().get_version_locations_list()]
    assert layout_problems(copy, locations) == [
        "extra/: not in alembic.ini's version_locations",
        f"{(copy / 'batch').resolve()}: in version_locations, not a folder",
    ]
    locations = [str(copy / "extra") if loc.endswith("batch") else loc for loc in locations]
    assert layout_problems(copy, locations) == [
        "extra/0001_tables.py: first revision's branch label is not 'extra'",
        "registry/0011_unique_indexes.py: number 0010 expected (counted within the branch)",
    ]


def _before_the_move(tmp_path: Path) -> Config:
    """Alembic reading the layout before the move: every revision in migrations/versions/<revision>.py, the
    environment as it was (env.py is unchanged by the move), no version_locations."""
    old = tmp_path / "migrations_before_move"
    (old / "versions").mkdir(parents=True)
    for name in ("env.py", "script.py.mako"):
        shutil.copy(MIGRATIONS / name, old / name)
    for revision, (path, _) in BEFORE_MOVE.items():
        shutil.copy(MIGRATIONS / path, old / "versions" / f"{revision}.py")
    cfg = Config()
    cfg.set_main_option("script_location", str(old))
    return cfg


def _rows(url: str, sql: str) -> list[tuple]:
    engine = make_engine(url)
    with engine.connect() as c:
        rows = [tuple(r) for r in c.execute(text(sql))]
    engine.dispose()
    return rows


def test_a_database_from_before_the_move_upgrades(db_url, tmp_path):
    """Upgraded by the old layout to all but the newest revisions of three branches, with rows in the tables those
    revisions change; the new layout finishes the upgrade and the rows are there (the bundle now encrypted)."""
    old = _before_the_move(tmp_path)
    old.set_main_option("sqlalchemy.url", db_url)
    partly = {
        "0014_registry_quarantine_town",
        "0010_childcare_field_encryption",
        "0003_monitoring",
        "0011_services_case_snapshots",
        "0010_payments_field_encryption",
        "0010_auth_field_encryption",
        "0007_batch",
    }
    for revision in sorted(partly):
        command.upgrade(old, revision)
    assert {r for (r,) in _rows(db_url, "SELECT version_num FROM alembic_version")} == partly
    bundle = '{"mother_id_number": "110101199003077777", "phone": "13800000001"}'
    engine = make_engine(db_url)
    with engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO registry_person (id_number, name, sex, birth_date, region) "
                "VALUES (NULL, '赵小', 'F', '2024-05-06', '370303')"
            )
        )
        c.execute(
            text(
                "INSERT INTO svc_birth_bundle (id, bundle_no, mother_id_number, child_name, child_birth_date,"
                " county, data, filed_by) VALUES (1, 'B1', 'x', '小', '2025-01-01', '370303', :d, 'x')"
            ),
            {"d": bundle},
        )
        c.execute(
            text(
                "INSERT INTO pay_payment (id, batch_id, entitlement_id, program, beneficiary_id_number, period, "
                "claim, amount, status, attempt) VALUES (1, 1, 7, 'p', 'x', '2025-07', '', 200, 'pending', 1)"
            )
        )
    engine.dispose()

    upgrade(db_url)

    scripts = ScriptDirectory.from_config(_config())
    heads = set(scripts.get_heads())
    before_the_move = {
        "0016_registry_kinship_scope",
        "0010_childcare_field_encryption",
        "monitoring_0002",
        "0012_services_bundle_crypt",
        "0015_payments_entitlement_period",
        "0010_auth_field_encryption",
        "0007_batch",
    }
    # every head of before the move is one of today's heads or lies below one (later branches and revisions add)
    below_heads = {r.revision for h in heads for r in scripts.iterate_revisions(h, "base")}
    assert before_the_move <= below_heads
    assert {r for (r,) in _rows(db_url, "SELECT version_num FROM alembic_version")} == heads
    assert _rows(db_url, "SELECT id, entitlement_id, period, amount, status FROM pay_payment") == [
        (1, 7, "2025-07", 200, "pending")
    ]
    ((stored,),) = _rows(db_url, "SELECT data FROM svc_birth_bundle")
    assert fieldcrypt.is_encrypted(stored) and fieldcrypt.keyring().decrypt(stored) == bundle
    engine = make_engine(db_url)
    with Session(engine) as s:
        assert [(p.name, p.birth_date.isoformat(), p.id_number) for p in s.query(Person)] == [
            ("赵小", "2024-05-06", None)
        ]
    engine.dispose()
    command.upgrade(_config(db_url), "heads")  # nothing left to do
    assert {r for (r,) in _rows(db_url, "SELECT version_num FROM alembic_version")} == heads
