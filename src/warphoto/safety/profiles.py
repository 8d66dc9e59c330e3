"""Safety profiles: per kind of data, keep, remove or coarsen; built-in ones and user files (TOML or JSON)."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warphoto.errors import ReadError

__all__ = ["AUDIENCES", "BUILTIN", "KINDS", "Profile", "ProfileError", "load_profile", "parse_profile"]

#: audiences from the widest to the narrowest; a node is shown to its audience and those after it
AUDIENCES = ("public", "partners", "archive-only")

#: the kinds of data a profile acts on, each with the actions it allows
KINDS: dict[str, tuple[str, ...]] = {
    "persons_shown": ("keep", "remove"),
    "image_regions": ("keep", "remove"),
    "coordinates": ("keep", "remove", "coarsen", "town"),
    "contact_details": ("keep", "remove"),
    "serial_numbers": ("keep", "remove"),
    "file_names": ("keep", "remove"),
}


class ProfileError(ReadError):
    """An unknown profile name or a malformed profile file (names the file and the line)."""


@dataclass(frozen=True)
class Profile:
    """What leaves the archive: the audience, an action per kind of data, free-text fields to remove."""

    name: str
    audience: str = "public"
    persons_shown: str = "remove"
    image_regions: str = "remove"
    coordinates: str = "remove"
    grid_km: float = 10.0
    contact_details: str = "remove"
    serial_numbers: str = "remove"
    file_names: str = "remove"
    free_text: tuple[str, ...] = ()

    def action(self, kind: str) -> str:
        """The action for one of ``KINDS``."""
        value: str = getattr(self, kind)
        return value


BUILTIN: dict[str, Profile] = {
    "public": Profile(name="public", free_text=("instructions",)),
    "partner": Profile(
        name="partner",
        audience="partners",
        persons_shown="keep",
        image_regions="keep",
        coordinates="coarsen",
        grid_km=1.0,
        file_names="keep",
    ),
}

_FIELD = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


def load_profile(name_or_path: str | Path) -> Profile:
    """A built-in profile by name, or one read from a ``.toml`` or ``.json`` file."""
    text_name = str(name_or_path)
    if text_name in BUILTIN:
        return BUILTIN[text_name]
    path = Path(name_or_path)
    if path.suffix.lower() not in (".toml", ".json") or not path.is_file():
        known = ", ".join(sorted(BUILTIN))
        raise ProfileError(f"unknown profile: give one of {known} or a .toml or .json file", source=text_name)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"cannot read the profile: {exc}", source=str(path)) from exc
    return parse_profile(text, source=str(path), kind=path.suffix.lower().lstrip("."))


def parse_profile(text: str, *, source: str = "<profile>", kind: str = "toml") -> Profile:
    """Parse and check a profile document; every error names the line it is on."""
    data = _parse(text, source, kind)
    if not isinstance(data, dict):
        raise ProfileError("a profile must be a table (TOML) or an object (JSON)", source=source, line=1)

    def fail(key: str, message: str) -> ProfileError:
        return ProfileError(f"{key}: {message}", source=source, line=_line_of(text, key))

    fields: dict[str, Any] = {}
    for key, value in data.items():
        if key == "name" or key == "audience":
            allowed = AUDIENCES[:2] if key == "audience" else None
            if not isinstance(value, str) or not value or (allowed and value not in allowed):
                raise fail(key, "must be " + (" or ".join(allowed) if allowed else "a non-empty string"))
        elif key in KINDS:
            if value not in KINDS[key]:
                raise fail(key, f"must be one of {', '.join(KINDS[key])}, not {value!r}")
        elif key == "grid_km":
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0.1 <= value <= 1000:
                raise fail(key, "must be a number of kilometres from 0.1 to 1000")
            value = float(value)
        elif key == "free_text":
            if not isinstance(value, list) or not all(isinstance(v, str) and _FIELD.match(v) for v in value):
                raise fail(key, "must be a list of record keys such as caption")
            value = tuple(value)
        else:
            known = ", ".join(["name", "audience", *KINDS, "grid_km", "free_text"])
            raise fail(key, f"unknown key (known: {known})")
        fields[key] = value
    if "name" not in fields:
        raise ProfileError("the profile has no name", source=source, line=1)
    return Profile(**fields)


def _parse(text: str, source: str, kind: str) -> Any:
    if kind == "json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProfileError(exc.msg, source=source, line=exc.lineno, column=exc.colno) from exc
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line .*\)$", "", str(exc))
        line = int(match.group(1)) if match else None
        column = int(match.group(2)) if match else None
        raise ProfileError(message, source=source, line=line, column=column) from exc


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf'^\s*(?:"{re.escape(key)}"\s*:|{re.escape(key)}\s*=)|"{re.escape(key)}"\s*:')
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line):
            return number
    return None
