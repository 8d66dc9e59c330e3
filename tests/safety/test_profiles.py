"""Profiles: the built-in ones, user files in TOML and JSON, and errors that name the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from warphoto.safety import BUILTIN, ProfileError, load_profile, parse_profile


def test_public_is_the_strictest() -> None:
    public, partner = BUILTIN["public"], BUILTIN["partner"]
    assert public.audience == "public" and partner.audience == "partners"
    for kind in ("persons_shown", "image_regions", "coordinates", "contact_details", "serial_numbers"):
        assert public.action(kind) == "remove", kind
    assert partner.coordinates == "coarsen" and partner.persons_shown == "keep"


def test_a_toml_profile(tmp_path: Path) -> None:
    path = tmp_path / "court.toml"
    path.write_text(
        'name = "court"\naudience = "partners"\ncoordinates = "coarsen"\ngrid_km = 5\n'
        'persons_shown = "keep"\nfree_text = ["caption", "description"]\n',
        encoding="utf-8",
    )
    profile = load_profile(path)
    assert profile.name == "court" and profile.grid_km == 5.0
    assert profile.free_text == ("caption", "description")
    assert profile.serial_numbers == "remove"  # what a file does not say is removed


def test_coarsening_to_the_town(tmp_path: Path) -> None:
    path = tmp_path / "town.toml"
    path.write_text('name = "town"\ncoordinates = "town"\n', encoding="utf-8")
    assert load_profile(path).coordinates == "town"


def test_a_json_profile(tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_text('{"name": "p", "file_names": "keep"}', encoding="utf-8")
    assert load_profile(str(path)).file_names == "keep"


@pytest.mark.parametrize(
    ("text", "kind", "line", "message"),
    [
        (
            'name = "x"\n\ncoordinates = "blur"\n',
            "toml",
            3,
            "coordinates: must be one of keep, remove, coarsen, town, not 'blur'",
        ),
        (
            'name = "x"\naudience = "partners"\ncoordinates = "Town"\n',
            "toml",
            3,
            "coordinates: must be one of",
        ),
        ('name = "x"\ngrid_km = 0\n', "toml", 2, "grid_km: must be a number"),
        ('name = "x"\naudience = "archive-only"\n', "toml", 2, "audience: must be public or partners"),
        ('name = "x"\nfree_txt = ["caption"]\n', "toml", 2, "free_txt: unknown key"),
        ('name = "x"\nfree_text = ["no such"]\n', "toml", 2, "free_text: must be a list of record keys"),
        ('name = "x"\npersons_shown = \n', "toml", 2, "Invalid value"),
        ('coordinates = "keep"\n', "toml", 1, "no name"),
        ('{\n  "name": "x",\n  "serial_numbers": "hide"\n}', "json", 3, "serial_numbers: must be one of"),
        ('{\n  "name": "x",\n}', "json", 3, ""),
    ],
)
def test_errors_name_the_line(text: str, kind: str, line: int, message: str) -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile(text, source="p." + kind, kind=kind)
    assert caught.value.line == line
    assert message in caught.value.message
    assert str(caught.value).startswith(f"p.{kind}:{line}")


def test_an_unknown_profile_name_says_which_exist() -> None:
    with pytest.raises(ProfileError, match="give one of partner, public"):
        load_profile("pubic")
