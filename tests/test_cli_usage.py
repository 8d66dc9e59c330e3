"""The command line as people use it (issue 18): refused runs, options per format, messages, stdin/stdout.

Every test runs the installed ``warphoto`` command in a subprocess.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLE_GALLERY
from tests.test_cli import COMMAND, TINY_JPEG, run, valid_photo, write_json
from warphoto import formats, io

EDM = ("-O", "edm.provider=Example Aggregator", "-O", "edm.data_provider=Example Archive",
       "-O", "edm.rights=http://rightsstatements.org/vocab/InC/1.0/")  # fmt: skip


def run_with_input(
    *args: str | os.PathLike[str], data: bytes, module: bool = False
) -> subprocess.CompletedProcess[bytes]:
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    program = [sys.executable, "-m", "warphoto"] if module else [str(COMMAND)]
    return subprocess.run(
        [*program, *map(str, args)],
        input=data,
        env=environment,
        capture_output=True,
        timeout=600,
        check=False,
    )


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- 1. a refused run writes nothing


def test_an_existing_sidecar_refuses_the_whole_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "kharkiv-2022.photo-05.xmp").write_text("precious", encoding="utf-8")
    before = _tree(out)
    result = run("convert", EXAMPLE_GALLERY, "--to", "all", "--out-dir", out, *EDM)
    assert result.returncode == 2, result.stderr
    assert "kharkiv-2022.photo-05.xmp exists; refusing to overwrite" in result.stderr
    assert "--force" in result.stderr
    assert _tree(out) == before  # nothing written, nothing replaced


def test_an_existing_zip_refuses_the_run_and_the_count_is_true(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    edm = formats.get("edm")
    zipped = next(ext for ext in edm.extensions if ext.endswith(".zip"))
    (out / f"kharkiv-2022{zipped}").write_bytes(b"old")
    (out / "kharkiv-2022.photo-01.xmp").write_bytes(b"old")
    (out / "kharkiv-2022.edm.xml").write_bytes(b"not an output: a collection's EDM is a ZIP")
    before = _tree(out)
    result = run("convert", EXAMPLE_GALLERY, "--to", "edm,xmp,turtle", "--out-dir", out, *EDM)
    assert result.returncode == 2
    assert "exists (and 1 more); refusing to overwrite" in result.stderr
    assert _tree(out) == before
    forced = run("convert", EXAMPLE_GALLERY, "--to", "edm,xmp,turtle", "--out-dir", out, "--force", *EDM)
    assert forced.returncode == 0, forced.stderr
    assert (out / f"kharkiv-2022{zipped}").read_bytes().startswith(b"PK")
    assert len(list(out.glob("kharkiv-2022.*.xmp"))) == 17


def test_an_invalid_input_is_not_in_the_check_of_names(tmp_path: Path) -> None:
    good = write_json(tmp_path / "in" / "good.jsonld", valid_photo("https://example.org/p/good", 1))
    bad = valid_photo("https://example.org/p/bad", 2)
    bad["position"] = "first"
    write_json(tmp_path / "in" / "bad.jsonld", bad)
    out = tmp_path / "out"
    result = run("convert", tmp_path / "in", "--to", "xmp", "--out-dir", out)
    assert result.returncode == 1
    assert sorted(p.name for p in out.iterdir()) == ["good.xmp"]
    assert io.read(out / "good.xmp")["@id"] == "https://example.org/p/good"
    assert good.exists()


# --------------------------------------------------------------------------- 2-3. options, per format


def test_options_per_format(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run("convert", EXAMPLE_GALLERY, "--to", "edm,newsml", "--out-dir", out, *EDM,
                 "-O", "newsml.provider=https://example.org/newsroom")  # fmt: skip
    assert result.returncode == 0, result.stderr
    newsml = (out / "kharkiv-2022.newsml.xml").read_text(encoding="utf-8")
    assert "https://example.org/newsroom" in newsml and "Example Aggregator" not in newsml
    # a bare NAME=VALUE goes to every format written that takes it, and to no other
    bare = run("convert", EXAMPLE_GALLERY, "--to", "newsml,turtle", "--out-dir", tmp_path / "bare",
               "-O", "provider=https://example.org/bare")  # fmt: skip
    assert bare.returncode == 0, bare.stderr
    assert "https://example.org/bare" in (tmp_path / "bare" / "kharkiv-2022.newsml.xml").read_text("utf-8")


def test_unknown_options_are_refused_naming_the_known(tmp_path: Path) -> None:
    out = tmp_path / "out"
    typo = run("convert", EXAMPLE_GALLERY, "--to", "newsml", "--out-dir", out, "-O", "refuse_los=true")
    assert typo.returncode == 2
    assert "refuse_los" in typo.stderr and "refuse_loss" in typo.stderr and "provider" in typo.stderr
    scoped = run("convert", EXAMPLE_GALLERY, "--to", "edm", "--out-dir", out, "-O", "edm.colour=red")
    assert scoped.returncode == 2 and "edm has no option 'colour'" in scoped.stderr
    assert "data_provider" in scoped.stderr
    other = run("convert", EXAMPLE_GALLERY, "--to", "turtle", "--out-dir", out, "-O", "edm.provider=x")
    assert other.returncode == 2 and "edm is not written" in other.stderr
    nope = run("convert", EXAMPLE_GALLERY, "--to", "turtle", "--out-dir", out, "-O", "nope.x=1")
    assert nope.returncode == 2 and "unknown format 'nope'" in nope.stderr
    assert not out.exists()


def test_refuse_loss_on_the_command_line(tmp_path: Path) -> None:
    result = run("convert", EXAMPLE_GALLERY, "--to", "newsml", "-o", tmp_path / "g.newsml.xml",
                 "-O", "newsml.refuse_loss=true")  # fmt: skip
    assert result.returncode == 1
    assert "cannot carry" in result.stderr and "-O newsml.refuse_loss" in result.stderr
    assert not (tmp_path / "g.newsml.xml").exists()


def test_help_lists_each_formats_options() -> None:
    text = run("convert", "--help").stdout
    assert "FORMAT.NAME=VALUE" in text
    section = text[text.index("writer options") :]
    for fmt in formats.all_formats():
        if fmt.can_write and not fmt.media_type.startswith("image/"):
            assert f"  {fmt.name}:" in section, fmt.name
            block = section[section.index(f"  {fmt.name}:") :]
            for name in fmt.options:
                assert f"    {name}: " in block, (fmt.name, name)
    assert section.count("refuse_loss:") == sum(
        1 for f in formats.all_formats() if f.can_write and not f.media_type.startswith("image/")
    )


# --------------------------------------------------------------------------- 4. command-line words


def test_unknown_format_is_said_first(tmp_path: Path) -> None:
    result = run("convert", tmp_path / "x.json", "--to", "nope")
    assert result.returncode == 2
    assert "unknown format 'nope'" in result.stderr and "-o FILE" not in result.stderr
    source = run("convert", tmp_path / "x.json", "--from", "nope", "--to", "turtle", "-o", "-")
    assert source.returncode == 2 and "--from nope: unknown format 'nope'" in source.stderr


def test_messages_speak_the_command_line(tmp_path: Path) -> None:
    edm = run("convert", EXAMPLE_GALLERY, "--to", "edm", "--out-dir", tmp_path / "a")
    assert edm.returncode == 1
    assert "-O edm.provider=" in edm.stderr and "-O edm.rights=" in edm.stderr
    assert " provider=" not in edm.stderr.replace("edm.provider=", "")
    xmp = run("convert", EXAMPLE_GALLERY, "--to", "xmp", "-o", tmp_path / "one.xmp")
    assert xmp.returncode == 1 and "-O xmp.id=" in xmp.stderr and "pass id=" not in xmp.stderr
    image = tmp_path / "photo.jpg"
    image.write_bytes(TINY_JPEG)
    embed = run("embed", image, EXAMPLE_GALLERY)
    assert embed.returncode == 2 and "--id IRI" in embed.stderr and "id=" not in embed.stderr
    odd = tmp_path / "record.data"
    odd.write_text("{}", encoding="utf-8")
    unknown = run("convert", odd, "--to", "turtle", "-o", "-")
    assert unknown.returncode == 2 and "--from FORMAT" in unknown.stderr and "format=" not in unknown.stderr
    output = run("convert", EXAMPLE_GALLERY, "-o", tmp_path / "out.data")
    assert output.returncode == 2 and "--to FORMAT" in output.stderr


# --------------------------------------------------------------------------- 5. standard input and output


def test_validate_reads_standard_input() -> None:
    data = EXAMPLE_GALLERY.read_bytes()
    result = run_with_input("validate", "-", data=data)
    assert result.returncode == 0, result.stderr
    assert b"1 file checked (52 records): 1 valid" in result.stdout
    broken = json.loads(data)
    broken["@graph"][35]["captoin"] = "a typo"
    text = json.dumps(broken, indent=2).encode("utf-8")
    report = run_with_input("validate", "-", "--format", "json", data=text)
    assert report.returncode == 1
    issue = json.loads(report.stdout)["files"][0]["issues"][0]
    assert issue["source"] == "<stdin>" and issue["line"] is not None
    assert b'"captoin"' in text.splitlines()[issue["line"] - 1]


def test_convert_from_standard_input_to_standard_output() -> None:
    data = EXAMPLE_GALLERY.read_bytes()
    result = run_with_input("convert", "-", "--from", "jsonld", "--to", "turtle", "-o", "-", data=data)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode("utf-8") == io.dumps(io.read(EXAMPLE_GALLERY), "turtle")
    module = run_with_input("convert", "-", "--to", "ntriples", "-o", "-", data=data, module=True)
    assert module.returncode == 0 and module.stdout.startswith(b"<")


def test_convert_standard_input_into_a_folder_and_inspect_it(tmp_path: Path) -> None:
    data = EXAMPLE_GALLERY.read_bytes()
    result = run_with_input("convert", "-", "--to", "turtle", "--out-dir", tmp_path, data=data)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "stdin.ttl").exists()
    summary = run_with_input("inspect", "-", "--summary", data=data)
    assert summary.returncode == 0 and summary.stdout.startswith(b"<stdin> (jsonld)")
    bad = run_with_input("validate", "-", data=b"{ not json")
    assert bad.returncode == 2 and b"<stdin>:1:" in bad.stdout


def test_extract_and_embed_with_standard_streams(tmp_path: Path) -> None:
    image = tmp_path / "photo.jpg"
    image.write_bytes(TINY_JPEG)
    record = json.dumps(valid_photo("https://example.org/p/stdin", 1)).encode("utf-8")
    tagged = run_with_input("embed", image, "-", "-o", "-", data=record)
    assert tagged.returncode == 0, tagged.stderr
    assert tagged.stdout.startswith(b"\xff\xd8") and image.read_bytes() == TINY_JPEG
    extracted = run_with_input("extract", "-", "--to", "jsonld", data=tagged.stdout)
    assert extracted.returncode == 0, extracted.stderr
    assert json.loads(extracted.stdout)["@id"] == "https://example.org/p/stdin"
