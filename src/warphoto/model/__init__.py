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
from warphoto.model.iptc import (
    ArtworkOrObject,
    CreatorContactInfo,
    EmbeddedRightsExpression,
    Entity,
    EntityWithRole,
    ImageRegion,
    Licensor,
    LinkedRightsExpression,
    ProductWithGtin,
    RegionBoundary,
    RegionBoundaryPoint,
    RegistryEntry,
)
from warphoto.model.text import LangText, LangTextList

__all__ = [
    "Activity",
    "ArtworkOrObject",
    "Association",
    "Collection",
    "Concept",
    "CreatorContactInfo",
    "EmbeddedRightsExpression",
    "Entity",
    "EntityWithRole",
    "Event",
    "Gallery",
    "GeoCoordinates",
    "ImageRegion",
    "LangText",
    "LangTextList",
    "Licensor",
    "LinkedRightsExpression",
    "MediaFile",
    "Node",
    "Organization",
    "PartialDate",
    "Person",
    "PersonShown",
    "Photograph",
    "Place",
    "ProductWithGtin",
    "RegionBoundary",
    "RegionBoundaryPoint",
    "RegistryEntry",
    "collect",
    "standalone_records",
]
