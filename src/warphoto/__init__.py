"""warphoto: metadata of documentary and war photographs as Linked Data."""

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
from warphoto.validation import Issue, is_valid, iter_issues, validate

__version__ = "0.1.0"

__all__ = [
    "FormatError",
    "Issue",
    "LossError",
    "PartialDate",
    "ReadError",
    "UnsafeInputError",
    "ValidationError",
    "WarphotoError",
    "WriteError",
    "__version__",
    "is_valid",
    "iter_issues",
    "validate",
]
