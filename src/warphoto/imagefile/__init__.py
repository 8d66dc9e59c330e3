"""Ingest: read the metadata photographs carry (EXIF, IPTC-IIM, XMP) from their files.

Read-only: files are never written, pixels never decoded. See ``docs/ingest.md``.
"""

from warphoto.imagefile.capture import capture_time, exif_datetime, gps_datetime, gps_position
from warphoto.imagefile.exif import ExifValue
from warphoto.imagefile.fixity import Fixity, file_fixity
from warphoto.imagefile.iim import IimDataset, iim_md5
from warphoto.imagefile.metadata import ImageMetadata
from warphoto.imagefile.mwg import MwgValues, mwg_values
from warphoto.imagefile.reader import read_metadata, read_metadata_bytes
from warphoto.imagefile.record import ingest, ingest_metadata
from warphoto.imagefile.sidecar import Sidecars, find_sidecars
from warphoto.imagefile.sidecar_compare import XmpDifference, compare_sidecar
from warphoto.imagefile.sniff import sniff
from warphoto.imagefile.xmp_merge import merge_extended_xmp

__all__ = [
    "ExifValue",
    "Fixity",
    "IimDataset",
    "ImageMetadata",
    "MwgValues",
    "Sidecars",
    "XmpDifference",
    "capture_time",
    "compare_sidecar",
    "exif_datetime",
    "file_fixity",
    "find_sidecars",
    "gps_datetime",
    "gps_position",
    "iim_md5",
    "ingest",
    "ingest_metadata",
    "merge_extended_xmp",
    "mwg_values",
    "read_metadata",
    "read_metadata_bytes",
    "sniff",
]
