"""The policy engine's start-up error. A refusal of its input (a household, a facility) is a `cradle.errors`
error instead, raised and answered like every other domain's."""

from __future__ import annotations


class PackError(Exception):
    """A policy pack (parameters.yaml, programs.py, tests.yaml) is malformed; raised at start-up."""
