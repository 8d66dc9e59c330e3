"""warphoto: metadata of documentary and war photographs as Linked Data.

The public surface: the model classes, ``validate`` / ``iter_issues``, ``dumps`` /
``loads`` / ``read`` / ``write`` over the format registry, ``ingest`` (an image file -> a
record), ``verify`` / ``bag`` / ``append_step`` (fixity, BagIt delivery, custody), and one
exception tree rooted at :class:`WarphotoError`.
"""

import importlib
from typing import TYPE_CHECKING, Any

from warphoto.canonical import canonical
from warphoto.dates import PartialDate
from warphoto.errors import (
    FormatError,
    LossError,
    ReadError,
    UnsafeInputError,
    ValidationError,
    WarphotoError,
    WriteError,
)
from warphoto.io import dumps, loads, read, write
from warphoto.streaming import iter_read, write_stream
from warphoto.validation import Issue, is_valid, iter_issues, validate

if TYPE_CHECKING:
    from warphoto.custody import append_step, bag, verify
    from warphoto.formats.rdf import to_graph
    from warphoto.imagefile.record import ingest
    from warphoto.model import (
        Activity,
        Association,
        Collection,
        Concept,
        Event,
        Gallery,
        GeoCoordinates,
        LangText,
        LangTextList,
        MediaFile,
        Organization,
        Person,
        PersonShown,
        Photograph,
        Place,
        collect,
        standalone_records,
    )
    from warphoto.safety.redact import redact

__version__ = "0.1.0"

#: the functions whose modules are imported when first used: image reading, C2PA, BagIt and
#: rdflib cost half a second of start-up that `warphoto validate` and `convert` do not need
_LAZY = {
    "Activity": "warphoto.model",
    "Association": "warphoto.model",
    "Collection": "warphoto.model",
    "Concept": "warphoto.model",
    "Event": "warphoto.model",
    "Gallery": "warphoto.model",
    "GeoCoordinates": "warphoto.model",
    "LangText": "warphoto.model",
    "LangTextList": "warphoto.model",
    "MediaFile": "warphoto.model",
    "Organization": "warphoto.model",
    "Person": "warphoto.model",
    "PersonShown": "warphoto.model",
    "Photograph": "warphoto.model",
    "Place": "warphoto.model",
    "collect": "warphoto.model",
    "standalone_records": "warphoto.model",
    "append_step": "warphoto.custody",
    "bag": "warphoto.custody",
    "verify": "warphoto.custody",
    "ingest": "warphoto.imagefile.record",
    "redact": "warphoto.safety",
    "to_graph": "warphoto.formats.rdf",
}


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'warphoto' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "Activity",
    "Association",
    "Collection",
    "Concept",
    "Event",
    "FormatError",
    "Gallery",
    "GeoCoordinates",
    "Issue",
    "LangText",
    "LangTextList",
    "LossError",
    "MediaFile",
    "Organization",
    "PartialDate",
    "Person",
    "PersonShown",
    "Photograph",
    "Place",
    "ReadError",
    "UnsafeInputError",
    "ValidationError",
    "WarphotoError",
    "WriteError",
    "__version__",
    "append_step",
    "bag",
    "canonical",
    "collect",
    "dumps",
    "ingest",
    "is_valid",
    "iter_issues",
    "iter_read",
    "loads",
    "read",
    "redact",
    "standalone_records",
    "to_graph",
    "validate",
    "verify",
    "write",
    "write_stream",
]
