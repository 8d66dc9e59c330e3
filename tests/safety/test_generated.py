"""Hypothesis: generated records with generated secrets; no secret a built-in profile removes leaves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import warphoto
from tests.safety.secrets import output_bytes, writers
from tests.strategies import photographs

#: a redaction time after every date the strategies draw
LATER = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
#: a redaction time before most of them: steps dated after it are refused
EARLY = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
TOKENS = st.integers(10**11, 10**12 - 1).map(lambda n: f"q{n}")


def _with_secrets(record: dict[str, Any], t: list[str], name: str) -> dict[str, Any]:
    """``record`` with a secret of each kind the public profile removes (``t``: eight tokens)."""
    out = dict(record)
    out.setdefault("headline", {"en": "A photograph"})  # EDM needs a title to write at all
    out["personShown"] = [
        *record.get("personShown", []),
        {
            "person": {
                "@id": f"https://example.org/people/{t[0]}",
                "@type": "Person",
                "name": {"uk": f"{name} {t[1]}"},
                "sameAs": [f"https://www.wikidata.org/wiki/Q{t[0][1:]}"],
            },
            "description": {"en": f"neighbour {t[2]}"},
        },
    ]
    out["exifData"] = [{"@type": "PropertyValue", "propertyID": "SerialNumber", "value": t[3]}]
    out["creatorContactInfo"] = {"ciTelWork": f"+{t[4][1:]}", "ciEmailWork": f"{t[5]}@example.org"}
    out["associatedMedia"] = [
        *record.get("associatedMedia", []),
        {"@type": "ImageObject", "fileName": f"IMG_{t[6]}.JPG"},
    ]
    out["contentLocation"] = [
        *record.get("contentLocation", []),
        {"@type": "Place", "name": {"en": f"house {t[7]}"}, "accessAudience": "archive-only"},
    ]
    return out


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    photographs(),
    st.lists(TOKENS, min_size=8, max_size=8, unique=True),
    st.sampled_from(["Олена", "Mykola", "Тетяна"]),
    st.sampled_from(["public", "partner"]),
    st.sampled_from([None, EARLY]),
)
def test_no_generated_secret_in_any_format(
    record: dict[str, Any], tokens: list[str], name: str, profile: str, now: dt.datetime | None
) -> None:
    secret = _with_secrets(record, tokens, name)
    warphoto.validate(secret)
    try:
        redacted = warphoto.redact(secret, profile, now=now)
    except warphoto.WriteError as error:  # a step dated after today: refused, naming the record and date
        assert f"record {record['@id']}: provenance step" in str(error), error
        assert "after the redaction" in str(error)
        redacted = warphoto.redact(secret, profile, now=LATER)
    # partner keeps persons shown and file names: its secrets are the serial, contacts, restricted place
    removed = tokens if profile == "public" else [tokens[i] for i in (3, 4, 5, 7)]
    for fmt in writers():
        data = output_bytes(redacted, fmt)
        found = [t for t in removed if t.encode() in data or t[1:].encode() in data]
        assert found == [], fmt.name
