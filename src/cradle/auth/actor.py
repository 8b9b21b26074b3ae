"""Who is asking: the one Actor of the app, an identity with a role and a region scope. It is the signed-in
account (`from_account`), or an actor the code names itself: `SYSTEM` for scheduled jobs, a command acting for an
office. The services domain reads it through `cradle.services.offices` (its names for the roles, its scope rule).
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
    region: str | None = None  # scope: 6-, 9- or 12-digit code, "cn", or None (citizens, anonymous)
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
            and (len(self.region) in (9, 12) or regions.get(self.region).level == "county")
            else None
        )

    @property
    def town(self) -> str | None:
        """The 乡镇/街道 of a town official, or the one a village official's village lies in."""
        return self.region[:9] if self.region and len(self.region) in (9, 12) else None

    @property
    def village(self) -> str | None:
        return self.region if self.region and len(self.region) == 12 else None

    @property
    def scope(self) -> str | None:
        """The region the actor may see; None when unrestricted (national) or when the actor has no region."""
        return None if self.region in (None, regions.NATIONAL) else self.region

    @property
    def ref(self) -> str:
        """How the audit log names the actor (ID numbers masked)."""
        if self.role is None:
            return "anonymous"
        if self.role == roles.CITIZEN:
            return f"citizen:{mask(self.id_number)}:{self.name}"
        return f"{self.role}:{self.id}@{self.region or ''}" + (f"/{self.dept}" if self.dept else "")

    def can_see(self, code: str | None) -> bool:
        """Whether a person, case, facility or payment registered in `code` is inside this actor's scope."""
        return self.role in roles.STAFF and self.region is not None and in_scope(code, self.region)


ANONYMOUS = Actor(id="anonymous", role=None)
# Scheduled jobs acting for the system itself (免申即享 runs): no account, no region; audited as "system:system@".
SYSTEM = Actor(id="system", role="system")


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
