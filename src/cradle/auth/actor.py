"""Who is asking: the signed-in account as seen by the rest of the app.

Field names follow `cradle.services.actors.Actor` (id, role, county, town, dept, id_number, name, `ref`,
`is_official`), and `service_actor()` gives the services domain its own Actor for the roles it knows, so the
two stay one idea: an identity with a role and a region scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from cradle import regions
from cradle.auth import roles
from cradle.auth.scope import in_scope
from cradle.idcard import mask


@dataclass(frozen=True)
class Actor:
    id: str  # "account:<n>", or "anonymous"
    role: str | None  # None for anonymous
    region: str | None = None  # scope: 6- or 9-digit code, "cn", or None (citizens, anonymous)
    dept: str | None = None
    id_number: str | None = None  # a citizen's own
    name: str = ""
    account_id: int | None = None
    facility_id: int | None = None
    institution_id: int | None = None  # a health worker's 医疗机构
    via: str = "anonymous"  # "session", "token" or "anonymous"

    @property
    def authenticated(self) -> bool:
        return self.account_id is not None

    @property
    def is_official(self) -> bool:
        return self.role in roles.OFFICIALS

    @property
    def county(self) -> str | None:
        return (
            self.region[:6]
            if self.region
            and self.region != regions.NATIONAL
            and (len(self.region) == 9 or regions.get(self.region).level == "county")
            else None
        )

    @property
    def town(self) -> str | None:
        return self.region if self.region and len(self.region) == 9 else None

    @property
    def scope(self) -> str | None:
        """The region the actor may see; None when unrestricted (national) or when the actor has no region."""
        return None if self.region in (None, regions.NATIONAL) else self.region

    @property
    def ref(self) -> str:
        """How the audit log names the actor (ID numbers masked)."""
        if not self.authenticated:
            return "anonymous"
        if self.role == roles.CITIZEN:
            return f"citizen:{mask(self.id_number)}:{self.name}"
        return f"{self.role}:{self.id}@{self.region or ''}" + (f"/{self.dept}" if self.dept else "")

    def can_see(self, code: str | None) -> bool:
        """Whether a person, case, facility or payment registered in `code` is inside this actor's scope."""
        return self.role in roles.STAFF and self.region is not None and in_scope(code, self.region)

    def service_actor(self):
        """The services domain's Actor for this account, or None for roles the services domain has no name for
        yet (city/province officials, operators, auditors, administrators, departments outside its list)."""
        from cradle.services import actors as svc

        mapping = {roles.CITIZEN: "citizen", roles.TOWN: "town", roles.COUNTY: "county"}
        role = mapping.get(self.role)
        if self.role == roles.DEPT:
            role = "finance" if self.dept == "caizheng" else "dept" if self.dept in svc.DEPARTMENTS else None
            if self.county is None:
                role = None
        if role is None:
            return None
        return svc.Actor(
            id=self.id,
            role=role,
            county=self.county,
            town=self.town,
            dept=self.dept if role == "dept" else None,
            id_number=self.id_number,
            name=self.name,
        )


ANONYMOUS = Actor(id="anonymous", role=None)


def from_account(account, via: str) -> Actor:
    return Actor(
        id=f"account:{account.id}",
        role=account.role,
        region=account.region,
        dept=account.department,
        id_number=account.id_number,
        name=account.name,
        account_id=account.id,
        facility_id=account.facility_id,
        institution_id=account.institution_id,
        via=via,
    )
