"""IPTC Photo Metadata structures that have no schema.org shape: typed, frozen dataclasses.

Their keys name IPTC's own XMP properties (vocab/crosswalk/iptc.csv); docs/iptc-coverage.md
lists every IPTC property and where the record keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from warphoto.model._base import LANG, ONE_OR_MORE, Node, codec_field, nested, one_or_more, register_entity
from warphoto.model.text import LangText

__all__ = [
    "ArtworkOrObject",
    "CreatorContactInfo",
    "EmbeddedRightsExpression",
    "Entity",
    "EntityWithRole",
    "ImageRegion",
    "Licensor",
    "LinkedRightsExpression",
    "ProductWithGtin",
    "RegionBoundary",
    "RegionBoundaryPoint",
    "RegistryEntry",
]


@register_entity()
@dataclass(frozen=True)
class CreatorContactInfo(Node):
    """How to reach the photograph's creator (IPTC Core Creator's Contact Info)."""

    ci_adr_extadr: str | None = codec_field()
    ci_adr_city: str | None = codec_field()
    ci_adr_ctry: str | None = codec_field()
    ci_email_work: str | None = codec_field()
    ci_tel_work: str | None = codec_field()
    ci_adr_pcode: str | None = codec_field()
    ci_adr_region: str | None = codec_field()
    ci_url_work: str | None = codec_field()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@register_entity()
@dataclass(frozen=True)
class ArtworkOrObject(Node):
    """An artwork or object shown in the photograph, with its own rights."""

    ao_circa_date_created: str | None = codec_field()
    ao_content_description: LangText | None = codec_field(LANG)
    ao_contribution_description: LangText | None = codec_field(LANG)
    ao_copyright_notice: str | None = codec_field()
    ao_creator: str | tuple[str, ...] = codec_field(ONE_OR_MORE, default=())
    ao_creator_id: str | tuple[str, ...] = codec_field(ONE_OR_MORE, default=())
    ao_current_copyright_owner_id: str | None = codec_field()
    ao_current_copyright_owner_name: str | None = codec_field()
    ao_current_licensor_id: str | None = codec_field()
    ao_current_licensor_name: str | None = codec_field()
    ao_date_created: str | None = codec_field()
    ao_physical_description: LangText | None = codec_field(LANG)
    ao_source: str | None = codec_field()
    ao_source_inv_no: str | None = codec_field()
    ao_source_inv_url: str | None = codec_field()
    ao_style_period: str | tuple[str, ...] = codec_field(ONE_OR_MORE, default=())
    ao_title: LangText | None = codec_field(LANG)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@register_entity()
@dataclass(frozen=True)
class EmbeddedRightsExpression(Node):
    """A rights expression in a rights language (ODRL, RightsML), embedded as text."""

    enc_rights_expr: str | None = codec_field()
    rights_expr_enc_type: str | None = codec_field()
    rights_expr_lang_id: str | None = codec_field()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@register_entity()
@dataclass(frozen=True)
class LinkedRightsExpression(Node):
    """A rights expression in a rights language, linked by URL."""

    linked_rights_expr: str | None = codec_field()
    rights_expr_enc_type: str | None = codec_field()
    rights_expr_lang_id: str | None = codec_field()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@register_entity()
@dataclass(frozen=True)
class Entity(Node):
    """A thing named by IPTC identifiers and a name (the type or role of an image region)."""

    entity_id: str | tuple[str, ...] = codec_field(ONE_OR_MORE, default=())
    entity_name: LangText | None = codec_field(LANG)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@register_entity()
@dataclass(frozen=True)
class EntityWithRole(Node):
    """A party with its roles (a contributor to the metadata)."""

    entity_id: str | tuple[str, ...] = codec_field(ONE_OR_MORE, default=())
    entity_name: LangText | None = codec_field(LANG)
    role: str | tuple[str, ...] = codec_field(ONE_OR_MORE, default=())
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@register_entity()
@dataclass(frozen=True)
class ImageRegion(Node):
    """An area of the photograph, with what it shows (any property of a photograph may apply to it)."""

    region_boundary: RegionBoundary | None = codec_field(nested("RegionBoundary"))
    r_id: str | None = codec_field()
    entity_name: LangText | None = codec_field(LANG)
    r_ctype: Entity | tuple[Entity, ...] = codec_field(one_or_more("Entity"), default=())
    r_role: Entity | tuple[Entity, ...] = codec_field(one_or_more("Entity"), default=())
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@register_entity()
@dataclass(frozen=True)
class RegionBoundary(Node):
    """The outline of an image region: a rectangle, circle or polygon."""

    rb_shape: str | None = codec_field()
    rb_unit: str | None = codec_field()
    rb_x: float | None = codec_field()
    rb_y: float | None = codec_field()
    rb_w: float | None = codec_field()
    rb_h: float | None = codec_field()
    rb_rx: float | None = codec_field()
    rb_vertices: RegionBoundaryPoint | tuple[RegionBoundaryPoint, ...] = codec_field(
        one_or_more("RegionBoundaryPoint"), default=()
    )
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@register_entity()
@dataclass(frozen=True)
class RegionBoundaryPoint(Node):
    """One vertex of a polygon region."""

    rb_x: float | None = codec_field()
    rb_y: float | None = codec_field()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@register_entity()
@dataclass(frozen=True)
class ProductWithGtin(Node):
    """A product shown in the photograph."""

    product_description: LangText | None = codec_field(LANG)
    product_gtin: str | None = codec_field()
    product_id: str | tuple[str, ...] = codec_field(ONE_OR_MORE, default=())
    product_name: LangText | None = codec_field(LANG)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@register_entity()
@dataclass(frozen=True)
class RegistryEntry(Node):
    """An entry of the photograph in a registry."""

    reg_item_id: str | None = codec_field()
    reg_org_id: str | None = codec_field()
    reg_entry_role: str | None = codec_field()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


@register_entity()
@dataclass(frozen=True)
class Licensor(Node):
    """A licensor of the photograph and how to reach them."""

    licensor_id: str | None = codec_field()
    licensor_name: str | None = codec_field()
    licensor_street_address: str | None = codec_field()
    licensor_extended_address: str | None = codec_field()
    licensor_city: str | None = codec_field()
    licensor_region: str | None = codec_field()
    licensor_postal_code: str | None = codec_field()
    licensor_country: str | None = codec_field()
    licensor_telephone_type1: str | None = codec_field()
    licensor_telephone1: str | None = codec_field()
    licensor_telephone_type2: str | None = codec_field()
    licensor_telephone2: str | None = codec_field()
    licensor_email: str | None = codec_field()
    licensor_url: str | None = codec_field()
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
