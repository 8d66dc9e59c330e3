"""The record model: typed, frozen dataclasses with ``to_dict()`` / ``from_dict()``."""

from warphoto.dates import PartialDate
from warphoto.model.collection import Collection
from warphoto.model.entities import (
    Activity,
    Association,
    Concept,
    Event,
    Gallery,
    GeoCoordinates,
    MediaFile,
    Node,
    Organization,
    Person,
    PersonShown,
    Photograph,
    Place,
)
from warphoto.model.graph import collect, standalone_records
from warphoto.model.text import LangText, LangTextList

__all__ = [
    "Activity",
    "Association",
    "Collection",
    "Concept",
    "Event",
    "Gallery",
    "GeoCoordinates",
    "LangText",
    "LangTextList",
    "MediaFile",
    "Node",
    "Organization",
    "PartialDate",
    "Person",
    "PersonShown",
    "Photograph",
    "Place",
    "collect",
    "standalone_records",
]
