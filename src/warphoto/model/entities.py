"""The record model: typed, frozen dataclasses over the record dict.

``to_dict()`` gives the record dict (compact JSON-LD under warphoto's context);
``from_dict()`` builds from one, checking it first. References to other nodes are
either an ``@id`` string or an embedded model object. Keys the model does not know
(extension keys such as ``"dcterms:spatial"``) are kept in ``extra``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from warphoto.dates import PartialDate
from warphoto.model._base import (
    DATE,
    IRIS,
    LANG,
    LANG_LIST,
    ONE_OR_MORE,
    PLAIN,
    REF,
    REFS,
    TYPES,
    Node,
    codec_field,
    nested,
    nested_list,
    one_or_more,
    register_entity,
)
from warphoto.model.iptc import (
    ArtworkOrObject,
    CreatorContactInfo,
    EmbeddedRightsExpression,
    EntityWithRole,
    ImageRegion,
    Licensor,
    LinkedRightsExpression,
    ProductWithGtin,
    RegistryEntry,
)
from warphoto.model.text import LangText, LangTextList

__all__ = [
    "Activity",
    "Association",
    "Concept",
    "Event",
    "Gallery",
    "GeoCoordinates",
    "MediaFile",
    "Node",
    "Organization",
    "Person",
    "PersonShown",
    "Photograph",
    "Place",
    "PropertyValue",
    "Reference",
]

#: a reference to another node: its @id, or the node itself embedded
Reference = Any


def _id() -> Any:
    return codec_field(PLAIN, key="@id")


def _types(default: tuple[str, ...]) -> Any:
    return codec_field(TYPES, key="@type", default=default)


def _extra() -> Any:
    return field(default_factory=dict, compare=False)


@register_entity("GeoCoordinates")
@dataclass(frozen=True)
class GeoCoordinates(Node):
    """Latitude and longitude in decimal degrees, elevation in metres."""

    latitude: float = codec_field(default=0.0)
    longitude: float = codec_field(default=0.0)
    elevation: float | None = codec_field()
    types: tuple[str, ...] = codec_field(TYPES, key="@type", default=())
    extra: dict[str, Any] = _extra()


@register_entity("Concept")
@dataclass(frozen=True)
class Concept(Node):
    """A term of a controlled vocabulary (IPTC NewsCodes, Wikidata), by IRI, with a label."""

    SCHEMA: ClassVar[str | None] = "concept"
    id: str | None = _id()
    types: tuple[str, ...] = _types(("Concept",))
    pref_label: LangText | None = codec_field(LANG)
    in_scheme: str | None = codec_field()
    extra: dict[str, Any] = _extra()


@register_entity("Place", "City", "State", "Country", "Continent", "AdministrativeArea")
@dataclass(frozen=True)
class Place(Node):
    """A place; ``types`` gives its level: Place (sublocation), City, State, Country, Continent."""

    SCHEMA: ClassVar[str | None] = "place"
    id: str | None = _id()
    types: tuple[str, ...] = _types(("Place",))
    name: LangText | None = codec_field(LANG)
    alternate_name: LangTextList | None = codec_field(LANG_LIST)
    description: LangText | None = codec_field(LANG)
    country_code: str | None = codec_field()
    geo: GeoCoordinates | None = codec_field(nested("GeoCoordinates"))
    contained_in_place: Reference = codec_field(REF)
    same_as: tuple[str, ...] = codec_field(IRIS, default=())
    # security restrictions (docs/safety.md): who may see this node, why, which fields are archive-only
    access_audience: str | None = codec_field()
    access_reason: str | None = codec_field()
    restricted_field: tuple[str, ...] = codec_field(IRIS, default=())
    extra: dict[str, Any] = _extra()


@register_entity("Person")
@dataclass(frozen=True)
class Person(Node):
    """A person: photographer, author, or someone shown."""

    SCHEMA: ClassVar[str | None] = "person"
    id: str | None = _id()
    types: tuple[str, ...] = _types(("Person",))
    name: LangText | None = codec_field(LANG)
    alternate_name: LangTextList | None = codec_field(LANG_LIST)
    description: LangText | None = codec_field(LANG)
    job_title: LangText | None = codec_field(LANG)
    affiliation: tuple[Reference, ...] = codec_field(REFS, default=())
    same_as: tuple[str, ...] = codec_field(IRIS, default=())
    url: str | None = codec_field()
    # security restrictions (docs/safety.md): who may see this node, why, which fields are archive-only
    access_audience: str | None = codec_field()
    access_reason: str | None = codec_field()
    restricted_field: tuple[str, ...] = codec_field(IRIS, default=())
    extra: dict[str, Any] = _extra()


@register_entity("Organization")
@dataclass(frozen=True)
class Organization(Node):
    """An agency, publisher, archive or other organization."""

    SCHEMA: ClassVar[str | None] = "organization"
    id: str | None = _id()
    types: tuple[str, ...] = _types(("Organization",))
    name: LangText | None = codec_field(LANG)
    alternate_name: LangTextList | None = codec_field(LANG_LIST)
    description: LangText | None = codec_field(LANG)
    same_as: tuple[str, ...] = codec_field(IRIS, default=())
    url: str | None = codec_field()
    extra: dict[str, Any] = _extra()


@register_entity("Event")
@dataclass(frozen=True)
class Event(Node):
    """Something that happened, shown by photographs."""

    SCHEMA: ClassVar[str | None] = "event"
    id: str | None = _id()
    types: tuple[str, ...] = _types(("Event",))
    name: LangText | None = codec_field(LANG)
    description: LangText | None = codec_field(LANG)
    additional_type: tuple[str, ...] = codec_field(IRIS, default=())
    start_date: PartialDate | None = codec_field(DATE)
    end_date: PartialDate | None = codec_field(DATE)
    location: Reference = codec_field(REF)
    super_event: Reference = codec_field(REF)
    sub_event: tuple[Reference, ...] = codec_field(REFS, default=())
    same_as: tuple[str, ...] = codec_field(IRIS, default=())
    extra: dict[str, Any] = _extra()


@register_entity("ImageObject")
@dataclass(frozen=True)
class MediaFile(Node):
    """One file of a photograph (the master or a derivative), with its digest."""

    SCHEMA: ClassVar[str | None] = "mediafile"
    id: str | None = _id()
    types: tuple[str, ...] = _types(("ImageObject",))
    content_url: str | None = codec_field()
    encoding_format: str | None = codec_field()
    width: int | None = codec_field()
    height: int | None = codec_field()
    content_size: int | None = codec_field()
    sha256: str | None = codec_field()
    file_role: str | None = codec_field()
    file_name: str | None = codec_field()
    extra: dict[str, Any] = _extra()


@register_entity("Association")
@dataclass(frozen=True)
class Association(Node):
    """An agent's part in a provenance step, with its role (e.g. a MARC relator IRI)."""

    agent: Reference = codec_field(REF)
    had_role: str | None = codec_field()
    types: tuple[str, ...] = codec_field(TYPES, key="@type", default=())
    extra: dict[str, Any] = _extra()


@register_entity("Activity")
@dataclass(frozen=True)
class Activity(Node):
    """One provenance step (PROV-O Activity) typed with a PREMIS event type where one fits.

    A full date and time goes in ``started_at_time``/``ended_at_time`` (``prov:startedAtTime``,
    range ``xsd:dateTime``); a year, month, day or interval in ``start_date``/``end_date``
    (``schema:startDate``/``endDate``, range Date or DateTime).
    """

    SCHEMA: ClassVar[str | None] = "activity"
    id: str | None = _id()
    types: tuple[str, ...] = _types(("Activity",))
    additional_type: tuple[str, ...] = codec_field(IRIS, default=())
    started_at_time: PartialDate | None = codec_field(DATE)
    ended_at_time: PartialDate | None = codec_field(DATE)
    start_date: PartialDate | None = codec_field(DATE)
    end_date: PartialDate | None = codec_field(DATE)
    qualified_association: tuple[Association, ...] = codec_field(nested_list("Association"), default=())
    at_location: Reference = codec_field(REF)
    used: tuple[Reference, ...] = codec_field(REFS, default=())
    generated: tuple[Reference, ...] = codec_field(REFS, default=())
    description: LangText | None = codec_field(LANG)
    extra: dict[str, Any] = _extra()


@register_entity("PersonShown")
@dataclass(frozen=True)
class PersonShown(Node):
    """A person shown in a photograph, with what the photograph says of them."""

    person: Reference = codec_field(REF)
    description: LangText | None = codec_field(LANG)
    age: int | None = codec_field()
    types: tuple[str, ...] = codec_field(TYPES, key="@type", default=())
    # security restrictions (docs/safety.md): who may see this node, why, which fields are archive-only
    access_audience: str | None = codec_field()
    access_reason: str | None = codec_field()
    restricted_field: tuple[str, ...] = codec_field(IRIS, default=())
    extra: dict[str, Any] = _extra()


@register_entity("PropertyValue")
@dataclass(frozen=True)
class PropertyValue(Node):
    """One EXIF value of a photograph (schema.org exifData): the tag's name and its value."""

    property_id: str | None = codec_field(key="propertyID")
    value: str | int | float | None = codec_field()
    types: tuple[str, ...] = codec_field(TYPES, key="@type", default=())
    extra: dict[str, Any] = _extra()


@register_entity("Photograph")
@dataclass(frozen=True)
class Photograph(Node):
    """One photograph: what it shows, who made it, the rights, its files and provenance."""

    SCHEMA: ClassVar[str | None] = "photograph"
    id: str | None = _id()
    types: tuple[str, ...] = _types(("ImageObject", "Photograph"))
    identifier: str | None = codec_field()
    headline: LangText | None = codec_field(LANG)
    title: LangText | None = codec_field(LANG)
    caption: LangText | None = codec_field(LANG)
    alt_text: LangText | None = codec_field(LANG)
    keywords: LangTextList | None = codec_field(LANG_LIST)
    about: tuple[Reference, ...] = codec_field(REFS, default=())
    genre: tuple[Reference, ...] = codec_field(REFS, default=())
    date_created: PartialDate | None = codec_field(DATE)
    creator: tuple[Reference, ...] = codec_field(REFS, default=())
    credit_text: str | None = codec_field()
    copyright_notice: LangText | None = codec_field(LANG)
    copyright_holder: tuple[Reference, ...] = codec_field(REFS, default=())
    license: str | None = codec_field()
    acquire_license_page: str | None = codec_field()
    usage_terms: LangText | None = codec_field(LANG)
    instructions: str | None = codec_field()
    content_warning: tuple[str, ...] = codec_field(IRIS, default=())
    content_location: tuple[Reference, ...] = codec_field(REFS, default=())
    location_created: Reference = codec_field(REF)
    person_shown: tuple[PersonShown, ...] = codec_field(nested_list("PersonShown"), default=())
    recorded_at: tuple[Reference, ...] = codec_field(REFS, default=())
    digital_source_type: str | None = codec_field()
    is_part_of: str | None = codec_field()
    position: int | None = codec_field()
    associated_media: tuple[Reference, ...] = codec_field(REFS, default=())
    provenance: tuple[Reference, ...] = codec_field(REFS, default=())
    url: str | None = codec_field()
    # IPTC properties without a schema.org shape (vocab/crosswalk/iptc.csv)
    legacy_city: str | None = codec_field()
    legacy_country: str | None = codec_field()
    legacy_country_code: str | None = codec_field()
    creator_contact_info: CreatorContactInfo | None = codec_field(nested("CreatorContactInfo"))
    editor: str | None = codec_field()
    ext_descr_accessibility: LangText | None = codec_field(LANG)
    job_id: str | None = codec_field()
    legacy_province_state: str | None = codec_field()
    source: str | None = codec_field()
    legacy_sublocation: str | None = codec_field()
    additional_model_info: str | None = codec_field()
    ai_prompt_information: str | None = codec_field()
    ai_prompt_writer_name: str | None = codec_field()
    ai_system_used: str | None = codec_field()
    ai_system_version_used: str | None = codec_field()
    artwork_or_object: ArtworkOrObject | tuple[ArtworkOrObject, ...] = codec_field(
        one_or_more("ArtworkOrObject"), default=()
    )
    organisation_in_image_code: str | tuple[str, ...] = codec_field(ONE_OR_MORE, default=())
    contributor: EntityWithRole | tuple[EntityWithRole, ...] = codec_field(
        one_or_more("EntityWithRole"), default=()
    )
    data_mining: str | None = codec_field()
    embd_enc_rights_expr: EmbeddedRightsExpression | tuple[EmbeddedRightsExpression, ...] = codec_field(
        one_or_more("EmbeddedRightsExpression"), default=()
    )
    content_rating: float | None = codec_field()
    image_region: ImageRegion | tuple[ImageRegion, ...] = codec_field(one_or_more("ImageRegion"), default=())
    registry_entry: RegistryEntry | tuple[RegistryEntry, ...] = codec_field(
        one_or_more("RegistryEntry"), default=()
    )
    provider: tuple[Reference, ...] = codec_field(REFS, default=())
    image_supplier_image_id: str | None = codec_field()
    licensor: Licensor | tuple[Licensor, ...] = codec_field(one_or_more("Licensor"), default=())
    linked_enc_rights_expr: LinkedRightsExpression | tuple[LinkedRightsExpression, ...] = codec_field(
        one_or_more("LinkedRightsExpression"), default=()
    )
    max_avail_height: int | None = codec_field()
    max_avail_width: int | None = codec_field()
    minor_model_age_disclosure: str | None = codec_field()
    model_age: int | tuple[int, ...] = codec_field(ONE_OR_MORE, default=())
    model_release_id: str | tuple[str, ...] = codec_field(ONE_OR_MORE, default=())
    model_release_status: str | None = codec_field()
    organisation_in_image_name: str | tuple[str, ...] = codec_field(ONE_OR_MORE, default=())
    other_constraints: LangText | None = codec_field(LANG)
    product_shown: ProductWithGtin | tuple[ProductWithGtin, ...] = codec_field(
        one_or_more("ProductWithGtin"), default=()
    )
    property_release_id: str | tuple[str, ...] = codec_field(ONE_OR_MORE, default=())
    property_release_status: str | None = codec_field()
    # EXIF (ingest): capture, camera, lens, exposure, GPS, orientation, by EXIF tag name
    exif_data: tuple[PropertyValue, ...] = codec_field(nested_list("PropertyValue"), default=())
    # security restrictions (docs/safety.md): who may see this node, why, which fields are archive-only
    access_audience: str | None = codec_field()
    access_reason: str | None = codec_field()
    restricted_field: tuple[str, ...] = codec_field(IRIS, default=())
    extra: dict[str, Any] = _extra()


@register_entity("ImageGallery")
@dataclass(frozen=True)
class Gallery(Node):
    """A published gallery or article that groups photographs in order."""

    SCHEMA: ClassVar[str | None] = "gallery"
    id: str | None = _id()
    types: tuple[str, ...] = _types(("ImageGallery",))
    headline: LangText | None = codec_field(LANG)
    description: LangText | None = codec_field(LANG)
    author: tuple[Reference, ...] = codec_field(REFS, default=())
    publisher: Reference = codec_field(REF)
    date_published: PartialDate | None = codec_field(DATE)
    in_language: str | None = codec_field()
    content_warning: tuple[str, ...] = codec_field(IRIS, default=())
    has_part: tuple[Reference, ...] = codec_field(REFS, default=())
    url: str | None = codec_field()
    extra: dict[str, Any] = _extra()


@register_entity("_unknown")
@dataclass(frozen=True)
class _UnknownNode(Node):
    """An embedded node of a type the model does not know; kept as it is."""

    extra: dict[str, Any] = _extra()
