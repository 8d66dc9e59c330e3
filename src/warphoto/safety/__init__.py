"""Safety profiles: share a record without endangering the people in it (docs/safety.md)."""

from __future__ import annotations

from warphoto.safety.coarsen import coarsen
from warphoto.safety.profiles import BUILTIN, KINDS, Profile, ProfileError, load_profile, parse_profile
from warphoto.safety.redact import redact

__all__ = [
    "BUILTIN",
    "KINDS",
    "Profile",
    "ProfileError",
    "coarsen",
    "load_profile",
    "parse_profile",
    "redact",
]
