"""The registry checks options once for every format: unknown ones are errors naming the known ones."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from typing import Any

import pytest

import warphoto
from tests.conftest import EXAMPLE_GALLERY
from warphoto import formats
from warphoto.errors import FormatError, LossError, ReadError
from warphoto.formats import COMMON_READ_OPTIONS, Format, register
from warphoto.validation import Issue

CONTEXT = "https://w3id.org/warphoto/context.jsonld"
PHOTO = {
    "@context": CONTEXT,
    "@id": "https://example.org/p/1",
    "@type": ["ImageObject", "Photograph"],
    "headline": {"en": "A photograph"},
}


def _writers() -> list[Format]:
    return [f for f in formats.all_formats() if f.can_write and not f.media_type.startswith("image/")]


def test_a_misspelt_option_is_an_error_not_a_silent_loss() -> None:
    gallery = warphoto.read(EXAMPLE_GALLERY)
    with pytest.raises(FormatError, match=r"unknown writer option 'refuse_los' for newsml.*refuse_loss"):
        warphoto.dumps(gallery, "newsml", refuse_los=True)


@pytest.mark.parametrize("fmt", _writers(), ids=lambda f: f.name)
def test_every_writer_refuses_unknown_options_and_names_the_known(fmt: Format) -> None:
    with pytest.raises(FormatError) as caught:
        warphoto.dumps(PHOTO, fmt.name, no_such_option=1)
    assert "no_such_option" in str(caught.value)
    for name in fmt.options:
        assert name in str(caught.value)
    assert "refuse_loss" in fmt.options  # every writer declares it


@pytest.mark.parametrize("fmt", [f for f in formats.all_formats() if f.can_read], ids=lambda f: f.name)
def test_every_reader_refuses_unknown_options(fmt: Format) -> None:
    with pytest.raises(FormatError, match="unknown reader option 'no_such_option'"):
        warphoto.loads(b"{}", fmt.name, no_such_option=1)


def test_read_and_write_options_are_apart() -> None:
    xmp = formats.get("xmp")
    assert "id" in xmp.options and "id" in xmp.read_options
    assert "language" in xmp.read_options and "language" not in xmp.options
    assert "keep_unmapped" not in xmp.options
    for fmt in formats.all_formats():
        assert not COMMON_READ_OPTIONS.keys() & fmt.read_options.keys(), fmt.name
        for text in (*fmt.options.values(), *fmt.read_options.values()):
            assert not text.startswith(("read:", "write:", "(reading)")), fmt.name


def test_refuse_loss_everywhere() -> None:
    warned = dict(PHOTO, contentWarning=["http://cv.iptc.org/newscodes/contentwarning/death"])
    with pytest.raises(LossError, match="contentWarning"):
        warphoto.dumps(warned, "schemaorg", refuse_loss=True)
    assert warphoto.dumps(warned, "schemaorg")  # dropping is the default
    for name in ("turtle", "jsonld", "xmp", "jsonl"):  # they carry everything: nothing to refuse
        assert warphoto.dumps(warned, name, refuse_loss=True)


def test_issues_and_strict_are_one_channel_for_every_reader() -> None:
    scraped = json.dumps(
        {"@context": "https://schema.org", "@type": "ImageObject", "@id": "https://e/1", "thumbnailUrl": "x"}
    )
    issues: list[Issue] = []
    warphoto.loads(scraped, "schemaorg", issues=issues, validate=False)
    assert [i.path for i in issues] == ["$.thumbnailUrl"]
    with pytest.raises(ReadError, match="thumbnailUrl"):
        warphoto.loads(scraped, "schemaorg", strict=True, validate=False)
    text = warphoto.dumps(PHOTO, "turtle")
    quiet: list[Issue] = []
    assert warphoto.loads(text, "turtle", issues=quiet, strict=True)["@id"] == PHOTO["@id"]
    assert quiet == []


def test_a_new_format_gets_its_options_checked() -> None:
    seen: dict[str, Any] = {}

    def dumps(document: Any, *, colour: str = "red") -> str:
        seen["colour"] = colour
        return "ok"

    fmt = register(Format("test-colour", "Test", (".test-colour",), "text/plain", dumps=dumps,
                          cannot_carry=("headline",), options={"colour": "the colour"}))  # fmt: skip
    try:
        assert fmt.dumps is not None and fmt.dumps(PHOTO, colour="blue") == "ok" and seen["colour"] == "blue"
        with pytest.raises(FormatError, match="colour, refuse_loss"):
            fmt.dumps(PHOTO, color="blue")
        with pytest.raises(LossError, match="headline"):
            fmt.dumps(PHOTO, refuse_loss=True)
        assert inspect.unwrap(fmt.dumps) is dumps
    finally:
        formats._REGISTRY.pop("test-colour")


EDM_SETTINGS = {
    "provider": "Example Aggregator",
    "data_provider": "Example Archive",
    "rights": "http://rightsstatements.org/vocab/InC/1.0/",
}


def _first_photograph() -> dict[str, Any]:
    gallery = warphoto.read(EXAMPLE_GALLERY)
    return next(n for n in gallery["@graph"] if "Photograph" in n.get("@type", []))


def test_newsml_and_edm_readers_report_what_they_leave_out() -> None:
    gallery = warphoto.read(EXAMPLE_GALLERY)
    for name, options in (("newsml", {}), ("edm", EDM_SETTINGS)):
        own: list[Issue] = []
        warphoto.loads(warphoto.dumps(gallery, name, **options), name, issues=own, validate=False)
        assert own == [], name  # what warphoto writes, it reads whole
    photo = _first_photograph()
    newsml = str(warphoto.dumps(photo, "newsml")).replace(
        "<creditline>", "<slugline>war</slugline>\n    <creditline>", 1
    )
    issues: list[Issue] = []
    warphoto.loads(newsml, "newsml", issues=issues, source="photo.nml", validate=False)
    assert [(i.rule, i.path, i.record_id) for i in issues] == [
        ("newsml-unmapped", "contentMeta/slugline", photo["@id"])
    ]
    assert issues[0].line == newsml.splitlines().index("    <slugline>war</slugline>") + 1
    edm = str(warphoto.dumps(photo, "edm", **EDM_SETTINGS)).replace(
        "<edm:type>IMAGE</edm:type>", "<edm:type>IMAGE</edm:type><dc:format>JPEG</dc:format>", 1
    )
    with pytest.raises(ReadError, match=r"photo\.edm\.xml:\d+: .*dc:format.*edm-unmapped"):
        warphoto.loads(edm, "edm", source="photo.edm.xml", strict=True, validate=False)


@pytest.mark.parametrize(
    "fmt", [f for f in _writers() if f.can_read], ids=lambda f: f.name
)  # fmt: skip
def test_every_reader_takes_issues_and_strict(fmt: Format) -> None:
    photo = _first_photograph()
    options = EDM_SETTINGS if fmt.name == "edm" else {}
    data = warphoto.dumps(photo, fmt.name, **options)
    issues: list[Issue] = []
    back = warphoto.loads(data, fmt.name, issues=issues, strict=True, validate=False)
    assert back["@id"] == photo["@id"] and issues == [], fmt.name


def test_writing_into_a_picture_checks_options_too(tmp_path: Any) -> None:
    from tests.jpeg_bytes import tiny_jpeg

    image = tmp_path / "photo.jpg"
    image.write_bytes(tiny_jpeg())
    with pytest.raises(FormatError, match="unknown writer option 'colour' for jpeg"):
        warphoto.write(PHOTO, image, colour="red")
    warphoto.write(PHOTO, image, refuse_loss=True)  # JPEG's XMP carries everything
    assert warphoto.read(image)["@id"] == PHOTO["@id"]


def test_the_table_of_built_in_modules_is_what_they_register() -> None:
    formats.all_formats()
    registered: dict[str, tuple[set[str], set[str]]] = {}
    for fmt in formats.all_formats():
        module = fmt.loads.__wrapped__.__module__ if fmt.loads else fmt.dumps.__module__  # type: ignore[union-attr]
        module = module.removeprefix("warphoto.formats.").lstrip("_").removesuffix("_reader")
        names, extensions = registered.setdefault(module, (set(), set()))
        names.update((fmt.name, *fmt.aliases))
        extensions.update(fmt.extensions)
    table = {m: (set(names), set(exts)) for m, (names, exts) in formats.BUILTIN_MODULES.items()}
    assert table == registered


@pytest.mark.parametrize(
    ("file_name", "format_name", "loaded"),
    [
        ("a.jsonld", "jsonld", "warphoto.formats.jsonld"),
        ("a.expanded.jsonld", "jsonld-expanded", "warphoto.formats.jsonld"),
        ("a.schema.jsonld", "schemaorg", "warphoto.formats.schemaorg"),
        ("a.jsonl", "jsonl", "warphoto.formats.jsonl"),
        ("a.ttl", "turtle", "warphoto.formats.rdf"),
        ("A.NEWSML.XML", "newsml", "warphoto.formats.newsml"),
    ],
)
def test_a_file_name_loads_only_its_format(file_name: str, format_name: str, loaded: str) -> None:
    code = (
        "import sys; from warphoto import formats; "
        f"print(formats.for_path({file_name!r}).name, formats.get({format_name!r}).name, "
        "sorted(m for m in sys.modules if m.startswith('warphoto.formats.') "
        "and not m.split('.')[2].startswith('_')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    name, again, modules = done.stdout.split(" ", 2)
    assert (name, again) == (format_name, format_name)
    assert loaded in modules
    assert "warphoto.formats.rdf" not in modules or loaded == "warphoto.formats.rdf"


def test_an_unknown_extension_or_name_names_every_format() -> None:
    with pytest.raises(FormatError, match="ntriples"):
        formats.get("no-such-format")
    with pytest.raises(FormatError, match="cannot tell the format"):
        formats.for_path("a.unknown")


def test_a_user_format_cannot_take_a_built_in_name_loaded_or_not() -> None:
    code = (
        "from warphoto import formats; from warphoto.formats import Format; jsonl = formats.get('jsonl')\n"
        "try:\n    formats.register(Format(name='xmp', title='x', extensions=('.mine',), media_type='a/b', "
        "loads=jsonl.loads.__wrapped__))\n"  # a built-in's reader does not make it a built-in
        "except ValueError as e:\n    print('refused', e)\n"
        "print(len(formats.all_formats()))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("refused format name 'xmp' is already registered")


def test_threads_looking_up_formats_while_modules_load() -> None:
    code = (
        "import threading; from warphoto import formats\n"
        "errors = []\n"
        "def look(i):\n"
        "    try:\n"
        "        formats.for_path('a.ttl') if i % 2 else formats.get(['jsonl', 'edm', 'xmp'][i % 3])\n"
        "    except Exception as e:\n"
        "        errors.append(repr(e))\n"
        "threads = [threading.Thread(target=look, args=(i,)) for i in range(16)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]; print(errors)"
    )
    for _ in range(8):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert done.stdout.strip() == "[]"
