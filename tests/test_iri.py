"""The "iri" format check: RFC 3987 absolute IRIs, non-ASCII allowed."""

from __future__ import annotations

import pytest

from warphoto._iri import is_iri


@pytest.mark.parametrize(
    "iri",
    [
        "https://example.org/a",
        "https://uk.wikipedia.org/wiki/Ізюм",
        "urn:isbn:9780000000000",
        "mailto:desk@example.org",
        "http://[::1]:8080/x",
        "http://[v1.x]/",
        "https://e.org/%41?q=1#f",
        "tag:example.org,2022:photo-1",
        "HTTP://EXAMPLE.ORG",
        "https://例え.テスト/パス",
    ],
)
def test_accepts(iri: str) -> None:
    assert is_iri(iri)


@pytest.mark.parametrize(
    "text",
    [
        "_:izium",
        "not an iri",
        "https://example.org/a b",
        "//example.org/x",
        "http://[::g]/",
        "https://e.org/%zz",
        "https://example.org/\u0007",
        "https://ex.org/#a#b",
        "http://a@b@c/",
        "1http://x",
        "",
    ],
)
def test_refuses(text: str) -> None:
    assert not is_iri(text)
