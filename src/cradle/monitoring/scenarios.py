"""Fertility scenarios: low / medium / high, and a policy scenario fed by the rules engine's what-if.

- **medium** keeps each region's current age-specific fertility (its estimated TFR) constant. This is a
  constant-fertility medium, not WPP's probabilistic median; it is what the registry can support per county.
- **low / high** follow the UN WPP deterministic variants (UN DESA, *WPP 2022 Methodology*, §I.C.2):
  total fertility 0.5 child below / above the medium, phased in as ±0.25 in the first five projection
  years, ±0.4 in the next five, ±0.5 from the eleventh year on.
- **policy**: the medium plus a TFR effect estimated by the what-if (``cradle.policy``), reached linearly
  over ``phase_in_years``.

The age pattern of fertility is kept: each year's schedule is the base schedule scaled to the scenario's
TFR (never below zero).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cradle.errors import N_, Invalid


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str  # the Chinese label (the CLI's words)
    kind: str = "medium"  # medium, variant, policy
    sign: int = 0  # variant: -1 low, +1 high
    tfr_effect: float = 0.0  # policy: TFR change when fully phased in
    phase_in_years: int = 5

    def tfr_delta(self, years: int) -> np.ndarray:
        """TFR change from the medium for projection years 1 … ``years``."""
        k = np.arange(1, years + 1)
        if self.kind == "variant":
            return self.sign * np.where(k <= 5, 0.25, np.where(k <= 10, 0.4, 0.5))
        if self.kind == "policy":
            return self.tfr_effect * np.minimum(k / max(self.phase_in_years, 1), 1.0)
        return np.zeros(years)


LOW = Scenario("low", "低方案", kind="variant", sign=-1)
MEDIUM = Scenario("medium", "中方案")
HIGH = Scenario("high", "高方案", kind="variant", sign=+1)
STANDARD = {s.name: s for s in (LOW, MEDIUM, HIGH)}
# how the pages and the report name each scenario (message ids; the zh catalogue holds the labels above)
TITLES = {
    "low": N_("Low variant"),
    "medium": N_("Medium variant"),
    "high": N_("High variant"),
    "policy": N_("Policy variant"),
}
TITLE_OF_LABEL = {s.label: TITLES[s.name] for s in STANDARD.values()}


def policy_scenario(tfr_effect: float, phase_in_years: int = 5, label: str = "政策方案") -> Scenario:
    """A scenario from a what-if's estimated effect on the TFR (children per woman)."""
    if not np.isfinite(tfr_effect):
        raise Invalid("tfr_effect", N_("Must be a finite number"))
    if phase_in_years < 1:
        raise Invalid("phase_in_years", N_("Must be at least 1"))
    return Scenario(
        "policy", label, kind="policy", tfr_effect=float(tfr_effect), phase_in_years=phase_in_years
    )


def get(name: str) -> Scenario:
    try:
        return STANDARD[name]
    except KeyError:
        raise Invalid(
            "scenario",
            N_("Unknown scenario %(name)s; one of %(choices)s or a policy scenario"),
            name=repr(name),
            choices=", ".join(STANDARD),
        ) from None


def scenario_asfr(asfr: np.ndarray, scenario: Scenario, years: int) -> np.ndarray:
    """Per-year schedules ``[years, region, age]`` from a base ``[region, age]`` schedule."""
    asfr = np.atleast_2d(np.asarray(asfr, dtype=float))
    base_tfr = asfr.sum(axis=-1)  # [R]
    target = np.maximum(base_tfr[None, :] + scenario.tfr_delta(years)[:, None], 0.0)  # [Y, R]
    scale = np.divide(target, base_tfr[None, :], out=np.zeros_like(target), where=base_tfr[None, :] > 0)
    return asfr[None, :, :] * scale[:, :, None]
