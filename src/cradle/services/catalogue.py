"""Which programs are applied for (or opened proactively), how they are paid, what must be attached."""

from __future__ import annotations

from dataclasses import dataclass

from cradle.errors import N_, Invalid


@dataclass(frozen=True)
class ServiceProgram:
    program: str
    frequency: str  # monthly | yearly | once
    proactive: str | None  # "open": 免申即享 opens the case for review; "direct": approved and paid directly
    attachments: tuple[str, ...] = ()  # what the town checks before passing the case on
    rate_parameter: str | None = None  # the county-set parameter (amount null in the pack) read from pay_rate


PROGRAMS = {
    p.program: p
    for p in (
        ServiceProgram(
            "baiyin.childcare_allowance",
            "monthly",
            "open",
            rate_parameter="baiyin.childcare_allowance.monthly",
        ),
        ServiceProgram("baiyin.special_assistance_bereaved", "monthly", "open", ("独生子女死亡证明",)),
        ServiceProgram("baiyin.special_assistance_disabled", "monthly", "open", ("残疾证",)),
        ServiceProgram(
            "baiyin.reward_assistance",
            "yearly",
            "open",
            ("独生子女父母光荣证或二女户证明",),
            rate_parameter="baiyin.reward_assistance.yearly",
        ),
        ServiceProgram(
            "luhe.reward_assistance",
            "yearly",
            "open",
            ("独生子女父母光荣证或二女户证明",),
            rate_parameter="luhe.reward_assistance.amount",
        ),
        *(
            ServiceProgram(
                f"{j}.special_assistance_{kind}",
                "monthly",
                "open",
                (proof,),
                rate_parameter=f"{j}.special_assistance.{kind}_monthly",
            )
            for j in ("luhe", "zibo", "sx")
            for kind, proof in (("bereaved", "独生子女死亡证明"), ("disabled", "残疾证"))
        ),
        *(
            ServiceProgram(
                f"{j}.reward_assistance",
                "yearly",
                "open",
                ("独生子女父母光荣证或二女户证明",),
                rate_parameter=f"{j}.reward_assistance.yearly",
            )
            for j in ("zibo", "sx", "shaoxing")
        ),
        ServiceProgram("zibo.nursery_fee_subsidy", "monthly", "direct"),
        ServiceProgram("zibo.home_purchase_subsidy", "once", None, ("购房合同", "不动产权证书")),
        ServiceProgram("zibo.deed_tax_subsidy", "once", None, ("契税完税凭证",)),
    )
}


def service_program(program_id: str, field: str = "program") -> ServiceProgram:
    try:
        return PROGRAMS[program_id]
    except KeyError:
        raise Invalid(
            field,
            N_("%(program)s is not a programme that needs an application (available: %(programs)s)"),
            program=repr(program_id),
            programs=", ".join(PROGRAMS),
        ) from None
