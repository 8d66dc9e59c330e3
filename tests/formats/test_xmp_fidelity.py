"""What other tools wrote survives us, and their edits are what we read (ExifTool is the referee).

* Packets written by other tools (the IPTC reference image, the XMP of the reference images,
  a packet ExifTool writes with every IPTC property, odd prefixes, attributes and split
  descriptions) are read and written again: ``exiftool -j -struct -G1`` shows every tag of the
  original with the same value in ours.
* ExifTool edits a packet warphoto wrote (sets, adds to a list, deletes, changes one language
  of a language alternative, changes a member of a structure), in a sidecar and in a JPEG:
  warphoto reads the edits.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from warphoto.canonical import canonical
from warphoto.formats import jpeg, xmp
from warphoto.validation import validate

from ..conftest import REFERENCE, need
from ..exiftool import ExifTool
from ..jpeg_bytes import tiny_jpeg
from .test_xmp import RECORD

DATA = Path(__file__).resolve().parents[1] / "data" / "xmp"
IMAGES = REFERENCE / "images" / "exiftool-test-images"
REFERENCE_PACKET = REFERENCE / "iptc-photometadata/reference-image/IPTC-PhotometadataRef-Std2023.2.xmp"

#: IPTC's simple forms that warphoto writes beside the detailed ones it read (derived, same values)
DERIVED = {"XMP-iptcExt:PersonInImage"}


def xmp_tags(exiftool: ExifTool, path: Path) -> dict[str, Any]:
    """ExifTool's XMP tags of a file; an empty value says nothing, and the record holds no empty text."""
    seen = exiftool.read(path, numbers=False)
    assert "ExifTool:Error" not in seen, seen
    return {k: v for k, v in seen.items() if k.startswith("XMP-") and k != "XMP-x:XMPToolkit" and v != ""}


def _tag_name(tag: str) -> str:
    return tag.partition(":")[2]


def compare(original: dict[str, Any], ours: dict[str, Any]) -> tuple[int, list[str]]:
    """How many tags of the original ours shows with the same value, and what differs.

    A namespace ExifTool does not know is shown under the prefix the packet gives it; the
    record keeps the namespace, not the prefix, so such a tag may come back under another
    group name with the same value (counted, and named in the problems only if the value differs).
    """
    equal, problems = 0, []
    by_name = {(_tag_name(k), json.dumps(v, sort_keys=True)): k for k, v in ours.items()}
    for tag, value in original.items():
        if ours.get(tag) == value:
            equal += 1
        elif (_tag_name(tag), json.dumps(value, sort_keys=True)) in by_name:
            equal += 1  # the same tag and value under the prefix we gave an unknown namespace
        else:
            problems.append(f"{tag}: {json.dumps(value)[:120]} became {json.dumps(ours.get(tag))[:120]}")
    renamed = {by_name[(_tag_name(t), json.dumps(v, sort_keys=True))] for t, v in original.items()
               if t not in ours and (_tag_name(t), json.dumps(v, sort_keys=True)) in by_name}  # fmt: skip
    extra = set(ours) - set(original) - DERIVED - renamed
    problems.extend(f"{tag}: not in the original" for tag in sorted(extra))
    return equal, problems


def _corpus(exiftool: ExifTool, folder: Path) -> list[Path]:
    need(IMAGES.is_dir() and REFERENCE_PACKET.is_file(), f"reference images in {IMAGES}")
    packets = [REFERENCE_PACKET, DATA / "several-descriptions.xmp", DATA / "attributes-odd-prefixes.xmp"]
    for image in sorted(IMAGES.iterdir()):
        target = folder / f"{image.name}.xmp"
        exiftool.run("-b", "-XMP", "-w!", str(folder / "%f.%e.xmp"), str(image))
        if target.is_file() and target.stat().st_size:
            packets.append(target)
    # every IPTC property, and the structures, arrays and language alternatives ExifTool writes
    every = folder / "exiftool-every-iptc.xmp"
    exiftool.run("-charset", "UTF8", f"-j={DATA / 'exiftool-every-iptc.json'}", str(every))
    assert every.is_file()
    packets.append(every)
    return packets


def test_packets_other_tools_wrote_survive_a_read_and_a_write(exiftool: ExifTool, tmp_path: Path) -> None:
    packets = _corpus(exiftool, tmp_path)
    assert len(packets) >= 12
    total = equal = 0
    report = []
    for path in packets:
        record = xmp.loads(path.read_bytes())
        validate(record)
        again = tmp_path / f"again-{path.name}"
        again.write_text(xmp.dumps(record), encoding="utf-8")
        original = xmp_tags(exiftool, path)
        same, problems = compare(original, xmp_tags(exiftool, again))
        total += len(original)
        equal += same
        report.extend(f"{path.name}: {p}" for p in problems)
        # and our own packet reads back as the same record
        assert canonical(xmp.loads(again.read_bytes())) == canonical(record), path.name
    print(f"\n{equal} of {total} XMP tags equal in ExifTool after a read and a write, {len(packets)} packets")
    assert not report, "\n".join(report)
    assert total >= 150


def test_every_iptc_property_exiftool_writes_reads_into_its_record_key(
    exiftool: ExifTool, tmp_path: Path
) -> None:
    path = tmp_path / "every.xmp"
    exiftool.run("-charset", "UTF8", f"-j={DATA / 'exiftool-every-iptc.json'}", str(path))
    issues: list[Any] = []
    record = xmp.loads(path.read_bytes(), issues=issues)
    validate(record)
    # no IPTC property is left to an extension key: each has its record key
    unmapped = {i.path for i in issues if i.rule == "xmp-unmapped"}
    iptc = ("Iptc4xmpCore", "Iptc4xmpExt", "plus", "photoshop")
    assert not {u for u in unmapped if u.split(":")[0] in iptc}
    assert record["artworkOrObject"][0]["aoCreator"] == ["Leo", "Sal"]
    assert record["creatorContactInfo"]["ciAdrCity"] == "Kyiv"
    region = record["imageRegion"][0]
    assert region["regionBoundary"]["rbVertices"][1] == {"rbX": 0.3, "rbY": 0.4}
    assert region["rCtype"][0]["entityId"] == ["http://cv.iptc.org/newscodes/imageregiontype/human"]
    assert record["modelAge"] == [25, 30]
    assert record["maxAvailWidth"] == 2000
    assert record["contentRating"] == 4
    assert record["editor"] == "Jane" and record["jobId"] == "JOB1" and record["source"] == "Agency"
    assert record["legacyCity"] == "Kharkiv" and record["legacyCountryCode"] == "UA"
    assert record["licensor"][0]["licensorName"] == "Lic"
    assert record["provider"] == [{"@type": "Organization", "name": {"und": "Supplier"}}]
    assert record["modelReleaseId"] == ["MR1", "MR2"]


# ------------------------------------------------------------------------ edits win


EDITS = [
    "-XMP-photoshop:Headline=Kharkiv after the retreat",  # set
    "-XMP-dc:Subject+=exhumation site",  # add to a list
    "-XMP-dc:Subject-=war",  # remove from a list
    "-XMP-dc:Title-uk=Ізюм, вересень",  # one language of a language alternative
    "-XMP-photoshop:Credit=",  # delete
    "-XMP-iptcExt:LocationShownCity=Balakliia",  # a member of a structure
    "-XMP-photoshop:City=Balakliia",  # a property the record did not have
]


def check_edits(record: dict[str, Any]) -> None:
    assert record["headline"] == {"und": "Kharkiv after the retreat"}
    keywords = [k for texts in record["keywords"].values() for k in texts]
    assert sorted(keywords) == ["exhumation", "exhumation site"]
    assert record["title"]["uk"] == "Ізюм, вересень" and record["title"]["en"] == RECORD["title"]["en"]
    assert "creditText" not in record
    place = json.dumps(record["contentLocation"], ensure_ascii=False)
    assert "Balakliia" in place
    assert record["legacyCity"] == "Balakliia"
    # what no edit touched is as warphoto wrote it
    for key in ("caption", "copyrightNotice", "associatedMedia", "personShown", "ex:note"):
        assert canonical(record[key]) == canonical(RECORD[key]), key
    validate(record)


def test_exiftool_edits_of_our_sidecar_are_read(exiftool: ExifTool, tmp_path: Path) -> None:
    path = tmp_path / "photo.xmp"
    path.write_text(xmp.dumps(RECORD), encoding="utf-8")
    exiftool.run("-charset", "UTF8", "-overwrite_original", *EDITS, str(path))
    issues: list[Any] = []
    record = xmp.loads(path.read_bytes(), issues=issues)
    check_edits(record)
    # the fuller forms that no longer agree with the edited properties are reported, not used
    assert {i.path for i in issues if i.rule == "xmp-edited"} >= {"headline", "contentLocation"}


def test_exiftool_edits_of_our_jpeg_are_read(exiftool: ExifTool, tmp_path: Path) -> None:
    path = tmp_path / "photo.jpg"
    path.write_bytes(jpeg.embed(tiny_jpeg(), RECORD))
    exiftool.run("-charset", "UTF8", "-overwrite_original", *EDITS, str(path))
    check_edits(jpeg.read_jpeg(path.read_bytes()).record)


def test_a_property_removed_by_another_tool_stays_removed(exiftool: ExifTool, tmp_path: Path) -> None:
    path = tmp_path / "photo.xmp"
    path.write_text(xmp.dumps(RECORD), encoding="utf-8")
    exiftool.run("-overwrite_original", "-XMP-iptcExt:LocationShown=", "-XMP-dc:Creator=", str(path))
    record = xmp.loads(path.read_bytes())
    assert "contentLocation" not in record  # its fuller form is not taken back
    assert record["creator"][0]["@id"] == RECORD["creator"][0]["@id"]  # plus:ImageCreator still says it
