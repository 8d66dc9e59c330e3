"""JSON Lines: only a newline ends a record; U+2028 and friends inside text survive."""

from __future__ import annotations

import warphoto


def test_unicode_line_separators_inside_text_survive() -> None:
    records = [
        {
            "@context": "https://w3id.org/warphoto/context.jsonld",
            "@id": f"https://example.org/photo/{n}",
            "@type": ["ImageObject", "Photograph"],
            "headline": {"en": "line\u2028separator\u2029paragraph\x85next\x1cfile"},
        }
        for n in (1, 2)
    ]
    data = warphoto.dumps(records, "jsonl")
    back = warphoto.loads(data, "jsonl")
    assert [node["headline"] for node in back["@graph"]] == [r["headline"] for r in records]


def test_windows_line_ends_are_accepted() -> None:
    record = {"@id": "https://example.org/p", "@type": ["ImageObject", "Photograph"]}
    text = warphoto.dumps(record, "jsonl")
    assert isinstance(text, str)
    assert warphoto.loads(text.replace("\n", "\r\n"), "jsonl")["@id"] == "https://example.org/p"
