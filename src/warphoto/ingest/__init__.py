"""Ingest: read the metadata photographs carry (EXIF, IPTC-IIM, XMP) from their files.

Read-only: files are never written, pixels never decoded. See ``docs/ingest.md``.
"""

from warphoto.ingest.capture import capture_time, exif_datetime, gps_datetime, gps_position
from warphoto.ingest.exif import ExifValue
from warphoto.ingest.fixity import Fixity, file_fixity
from warphoto.ingest.iim import IimDataset, iim_md5
from warphoto.ingest.metadata import ImageMetadata
from warphoto.ingest.mwg import MwgValues, mwg_values
from warphoto.ingest.reader import read_metadata, read_metadata_bytes
from warphoto.ingest.sidecar import Sidecars, find_sidecars
from warphoto.ingest.sidecar_compare import XmpDifference, compare_sidecar
from warphoto.ingest.sniff import sniff
from warphoto.ingest.xmp_merge import merge_extended_xmp

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
    "merge_extended_xmp",
    "mwg_values",
    "read_metadata",
    "read_metadata_bytes",
    "sniff",
]
