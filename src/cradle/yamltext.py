"""YAML as the project reads it: plain data only (a safe loader), parsed by libyaml when PyYAML was built with it.
The pure-Python parser took 0.5 s over the packs' files, a start-up cost for every command, server worker and
batch; libyaml's gives the same data in a seventh of it."""

from __future__ import annotations

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str):
    """The data of a YAML document (None for an empty one)."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader, the C one where built)
