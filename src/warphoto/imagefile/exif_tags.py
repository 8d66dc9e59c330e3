"""The EXIF tags ingest decodes, by IFD: tag number to ExifTool's tag name.

Names are ExifTool's (``exiftool -G1`` groups IFD0, ExifIFD, GPS), so that a decoded value can
be compared with ExifTool's output field by field; the EXIF 3.0 name is given where it differs.
"""

from __future__ import annotations

__all__ = ["EXIF_TAGS", "GPS_TAGS", "IFD0_TAGS"]

IFD0_TAGS: dict[int, str] = {
    0x00FE: "SubfileType",
    0x0100: "ImageWidth",
    0x0101: "ImageHeight",
    0x0102: "BitsPerSample",
    0x0103: "Compression",
    0x0106: "PhotometricInterpretation",
    0x010E: "ImageDescription",
    0x010F: "Make",
    0x0110: "Model",
    0x0112: "Orientation",
    0x0115: "SamplesPerPixel",
    0x011A: "XResolution",
    0x011B: "YResolution",
    0x0128: "ResolutionUnit",
    0x0131: "Software",
    0x0132: "ModifyDate",  # EXIF: DateTime
    0x013B: "Artist",
    0x013C: "HostComputer",
    0x8298: "Copyright",
    0x9C9B: "XPTitle",  # Windows: UTF-16LE in BYTE
    0x9C9C: "XPComment",
    0x9C9D: "XPAuthor",
    0x9C9E: "XPKeywords",
    0x9C9F: "XPSubject",
    0xC612: "DNGVersion",
    0xC614: "UniqueCameraModel",
}

EXIF_TAGS: dict[int, str] = {
    0x829A: "ExposureTime",
    0x829D: "FNumber",
    0x8822: "ExposureProgram",
    0x8827: "ISO",  # EXIF: PhotographicSensitivity (ISOSpeedRatings)
    0x8830: "SensitivityType",
    0x9000: "ExifVersion",
    0x9003: "DateTimeOriginal",
    0x9004: "CreateDate",  # EXIF: DateTimeDigitized
    0x9010: "OffsetTime",
    0x9011: "OffsetTimeOriginal",
    0x9012: "OffsetTimeDigitized",
    0x9204: "ExposureCompensation",  # EXIF: ExposureBiasValue
    0x9207: "MeteringMode",
    0x9209: "Flash",
    0x920A: "FocalLength",
    0x9286: "UserComment",
    0x9290: "SubSecTime",
    0x9291: "SubSecTimeOriginal",
    0x9292: "SubSecTimeDigitized",
    0xA001: "ColorSpace",
    0xA002: "ExifImageWidth",  # EXIF: PixelXDimension
    0xA003: "ExifImageHeight",  # EXIF: PixelYDimension
    0xA402: "ExposureMode",
    0xA403: "WhiteBalance",
    0xA405: "FocalLengthIn35mmFormat",
    0xA406: "SceneCaptureType",
    0xA420: "ImageUniqueID",
    0xA430: "OwnerName",  # EXIF: CameraOwnerName
    0xA431: "SerialNumber",  # EXIF: BodySerialNumber
    0xA432: "LensInfo",  # EXIF: LensSpecification
    0xA433: "LensMake",
    0xA434: "LensModel",
    0xA435: "LensSerialNumber",
}

GPS_TAGS: dict[int, str] = {
    0x0000: "GPSVersionID",
    0x0001: "GPSLatitudeRef",
    0x0002: "GPSLatitude",
    0x0003: "GPSLongitudeRef",
    0x0004: "GPSLongitude",
    0x0005: "GPSAltitudeRef",
    0x0006: "GPSAltitude",
    0x0007: "GPSTimeStamp",
    0x0008: "GPSSatellites",
    0x0009: "GPSStatus",
    0x000A: "GPSMeasureMode",
    0x000B: "GPSDOP",
    0x0010: "GPSImgDirectionRef",
    0x0011: "GPSImgDirection",
    0x0012: "GPSMapDatum",
    0x001B: "GPSProcessingMethod",
    0x001D: "GPSDateStamp",
    0x001F: "GPSHPositioningError",
}
