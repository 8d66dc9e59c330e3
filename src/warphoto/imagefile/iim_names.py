"""IPTC-IIM datasets of records 1 (envelope) and 2 (application): names and kinds.

Names are those of the IIM 4.2 specification as ExifTool spells them (``By-line``,
``Caption-Abstract``), so decoded datasets compare with ``exiftool -G1`` by name.
``IPTC_PROPERTIES`` gives, for the datasets the IPTC Photo Metadata Standard maps, the id of the
IPTC property (the TechReference's ``ipmd_top`` key, whose ``IIMid`` is the dataset); a test
checks this table against the TechReference in ``../shared/reference``.
"""

from __future__ import annotations

__all__ = ["BINARY", "DATASETS", "ESCAPES", "IPTC_PROPERTIES", "NUMERIC"]

DATASETS: dict[tuple[int, int], str] = {
    (1, 0): "EnvelopeRecordVersion",
    (1, 5): "Destination",
    (1, 20): "FileFormat",
    (1, 22): "FileVersion",
    (1, 30): "ServiceIdentifier",
    (1, 40): "EnvelopeNumber",
    (1, 50): "ProductID",
    (1, 60): "EnvelopePriority",
    (1, 70): "DateSent",
    (1, 80): "TimeSent",
    (1, 90): "CodedCharacterSet",
    (1, 100): "UniqueObjectName",
    (1, 120): "ARMIdentifier",
    (1, 122): "ARMVersion",
    (2, 0): "ApplicationRecordVersion",
    (2, 3): "ObjectTypeReference",
    (2, 4): "ObjectAttributeReference",
    (2, 5): "ObjectName",
    (2, 7): "EditStatus",
    (2, 8): "EditorialUpdate",
    (2, 10): "Urgency",
    (2, 12): "SubjectReference",
    (2, 15): "Category",
    (2, 20): "SupplementalCategories",
    (2, 22): "FixtureIdentifier",
    (2, 25): "Keywords",
    (2, 26): "ContentLocationCode",
    (2, 27): "ContentLocationName",
    (2, 30): "ReleaseDate",
    (2, 35): "ReleaseTime",
    (2, 37): "ExpirationDate",
    (2, 38): "ExpirationTime",
    (2, 40): "SpecialInstructions",
    (2, 42): "ActionAdvised",
    (2, 45): "ReferenceService",
    (2, 47): "ReferenceDate",
    (2, 50): "ReferenceNumber",
    (2, 55): "DateCreated",
    (2, 60): "TimeCreated",
    (2, 62): "DigitalCreationDate",
    (2, 63): "DigitalCreationTime",
    (2, 65): "OriginatingProgram",
    (2, 70): "ProgramVersion",
    (2, 75): "ObjectCycle",
    (2, 80): "By-line",
    (2, 85): "By-lineTitle",
    (2, 90): "City",
    (2, 92): "Sub-location",
    (2, 95): "Province-State",
    (2, 100): "Country-PrimaryLocationCode",
    (2, 101): "Country-PrimaryLocationName",
    (2, 103): "OriginalTransmissionReference",
    (2, 105): "Headline",
    (2, 110): "Credit",
    (2, 115): "Source",
    (2, 116): "CopyrightNotice",
    (2, 118): "Contact",
    (2, 120): "Caption-Abstract",
    (2, 121): "LocalCaption",
    (2, 122): "Writer-Editor",
    (2, 125): "RasterizedCaption",
    (2, 130): "ImageType",
    (2, 131): "ImageOrientation",
    (2, 135): "LanguageIdentifier",
    (2, 150): "AudioType",
    (2, 151): "AudioSamplingRate",
    (2, 152): "AudioSamplingResolution",
    (2, 153): "AudioDuration",
    (2, 154): "AudioOutcue",
    (2, 184): "JobID",
    (2, 185): "MasterDocumentID",
    (2, 186): "ShortDocumentID",
    (2, 187): "UniqueDocumentID",
    (2, 188): "OwnerID",
    (2, 200): "ObjectPreviewFileFormat",
    (2, 201): "ObjectPreviewFileVersion",
    (2, 202): "ObjectPreviewData",
    (2, 221): "Prefs",
    (2, 225): "ClassifyState",
    (2, 228): "SimilarityIndex",
    (2, 230): "DocumentNotes",
    (2, 231): "DocumentHistory",
    (2, 232): "ExifCameraInfo",
    (2, 255): "CatalogSets",
}

#: datasets whose value is a binary unsigned integer (IIM: "binary", 1 to 4 octets)
NUMERIC: frozenset[tuple[int, int]] = frozenset(
    {(1, 0), (1, 20), (1, 22), (1, 120), (1, 122), (2, 0), (2, 200), (2, 201)}
)
#: datasets kept as bytes (not text)
BINARY: frozenset[tuple[int, int]] = frozenset({(2, 125), (2, 202)})
#: datasets read as Latin-1 whatever the character set (escape sequences)
ESCAPES: frozenset[tuple[int, int]] = frozenset({(1, 90)})

#: the IPTC Photo Metadata property (TechReference ``ipmd_top`` key) each mapped dataset carries
IPTC_PROPERTIES: dict[tuple[int, int], str] = {
    (2, 4): "intellectualGenre",
    (2, 5): "title",
    (2, 12): "subjectCodes",
    (2, 25): "keywords",
    (2, 40): "instructions",
    (2, 55): "dateCreated",
    (2, 60): "dateCreated",
    (2, 80): "creatorNames",
    (2, 85): "jobtitle",
    (2, 90): "cityName",
    (2, 92): "sublocationName",
    (2, 95): "provinceState",
    (2, 100): "countryCode",
    (2, 101): "countryName",
    (2, 103): "jobid",
    (2, 105): "headline",
    (2, 110): "creditLine",
    (2, 115): "source",
    (2, 116): "copyrightNotice",
    (2, 120): "description",
    (2, 122): "captionWriter",
}
