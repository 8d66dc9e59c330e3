"""The hardened XML parser: no entity expansion, no DTDs, no network, bounded size."""

from __future__ import annotations

import pytest

from warphoto import ReadError, UnsafeInputError
from warphoto._xml import parse_xml, safe_parser

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol3;</lolz>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<foo>&xxe;</foo>
"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote; ]>
<foo/>
"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE foo SYSTEM "http://127.0.0.1:9/foo.dtd">
<foo/>
"""


def test_parses_plain_xml_with_unicode() -> None:
    root = parse_xml("<a><b>Ізюм</b></a>".encode())
    assert root.tag == "a"
    assert root[0].text == "Ізюм"


def test_accepts_text_with_an_encoding_declaration() -> None:
    root = parse_xml('<?xml version="1.0" encoding="UTF-8"?><a>Харків</a>')
    assert root.text == "Харків"


@pytest.mark.parametrize(
    ("data", "line"),
    [(BILLION_LAUGHS, 3), (EXTERNAL_ENTITY, 2), (PARAMETER_ENTITY, 2)],
    ids=["billion-laughs", "external-entity", "parameter-entity"],
)
def test_entity_declarations_are_refused(data: bytes, line: int) -> None:
    with pytest.raises(UnsafeInputError) as info:
        parse_xml(data, source="evil.xml")
    assert "entities" in str(info.value)
    assert info.value.line == line
    assert info.value.source == "evil.xml"


def test_external_dtd_is_refused() -> None:
    with pytest.raises(UnsafeInputError, match="external DTD"):
        parse_xml(EXTERNAL_DTD)


def test_internal_doctype_without_entities_is_harmless() -> None:
    root = parse_xml(b'<?xml version="1.0"?>\n<!DOCTYPE a [ <!ELEMENT a (#PCDATA)> ]>\n<a>x</a>')
    assert root.text == "x"


def test_malformed_xml_names_line_and_column() -> None:
    with pytest.raises(ReadError) as info:
        parse_xml(b"<a>\n  <b>\n</a>", source="bad.xml")
    assert not isinstance(info.value, UnsafeInputError)
    assert info.value.line == 3
    assert info.value.column is not None
    assert str(info.value).startswith("bad.xml:3:")


def test_empty_input_is_a_read_error() -> None:
    with pytest.raises(ReadError):
        parse_xml(b"")


def test_size_bound() -> None:
    with pytest.raises(UnsafeInputError, match="max_bytes"):
        parse_xml(b"<a>" + b"x" * 2000 + b"</a>", max_bytes=1000)


def test_utf16_entity_declaration_is_still_refused() -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE a [<!ENTITY e "boom">]>\n<a>&e;</a>'.encode(
        "utf-16"
    )
    with pytest.raises((UnsafeInputError, ReadError)):
        root = parse_xml(data)
        # if lxml ever parsed it, the entity must not have been expanded
        assert "boom" not in (root.text or "")


def test_safe_parser_settings() -> None:
    parser = safe_parser()
    # lxml exposes no getters; a fresh parser per call is the contract
    assert parser is not safe_parser()


def test_deep_nesting_does_not_crash() -> None:
    data = b"<a>" * 100_000 + b"</a>" * 100_000
    with pytest.raises(ReadError):
        parse_xml(data)
