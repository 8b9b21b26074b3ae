"""Who acts: a citizen, a town or county official, a department's desk, finance, or the system itself.

Accounts and log-in come later (issue 9); until then every service function takes an explicit `Actor` and checks
its scope here, so the rule "an official sees only the cases of their county or town" lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from cradle import regions
from cradle.idcard import check_id_number, mask
from cradle.services.errors import Forbidden, Invalid

ROLES = ("citizen", "town", "county", "dept", "finance", "system")
DEPARTMENTS = ("weijian", "gongan", "yibao", "renshe")  # 卫健, 公安, 医保, 人社


@dataclass(frozen=True)
class Actor:
    id: str
    role: str
    county: str | None = None  # GB/T 2260 county code of an official's office
    town: str | None = None  # 9-digit town (乡镇/街道) code of a town official, within `county`
    dept: str | None = None  # department of a `dept` desk
    id_number: str | None = None  # a citizen's own ID number
    name: str = ""

    def __post_init__(self):
        if self.role not in ROLES:
            raise Invalid("actor.role", f"未知角色 {self.role!r}")
        if self.role == "citizen" and (not self.id_number or check_id_number(self.id_number) is not None):
            raise Invalid("actor.id_number", "公民身份号码无效")
        if self.role in ("town", "county", "dept", "finance") and not regions.exists(self.county or ""):
            raise Invalid("actor.county", "工作人员须有所属县区代码")
        if self.role == "town" and not (
            self.town and len(self.town) == 9 and self.town.startswith(self.county)
        ):
            raise Invalid("actor.town", "乡镇工作人员须有所属乡镇代码（9位，属于本县区）")
        if self.role == "dept" and self.dept not in DEPARTMENTS:
            raise Invalid("actor.dept", f"部门须为 {', '.join(DEPARTMENTS)} 之一")

    @property
    def ref(self) -> str:
        """How the audit log and step history name this actor (ID numbers masked)."""
        if self.role == "citizen":
            return f"citizen:{mask(self.id_number)}:{self.name}"
        where = self.town or self.county or ""
        return f"{self.role}:{self.id}@{where}" + (f"/{self.dept}" if self.dept else "")

    @property
    def is_official(self) -> bool:
        return self.role in ("town", "county", "dept", "finance")


SYSTEM = Actor(id="system", role="system")


def can_see(actor: Actor, county: str, town: str | None) -> bool:
    if actor.role == "system":
        return True
    if actor.role in ("county", "dept", "finance"):
        return actor.county == county
    if actor.role == "town":
        return actor.county == county and actor.town == town
    return False


def require_office(actor: Actor, county: str, town: str | None, roles: tuple[str, ...]) -> None:
    if actor.role not in roles:
        raise Forbidden("actor.role", f"此操作须由{'/'.join(roles)}办理，当前角色为 {actor.role}")
    if not can_see(actor, county, town):
        raise Forbidden("actor.scope", "该事项不在您的辖区内")


def require_citizen(actor: Actor, id_number: str) -> None:
    if actor.role != "citizen" or actor.id_number != id_number:
        raise Forbidden("actor", "只能办理本人的事项（或经授权代办）")
