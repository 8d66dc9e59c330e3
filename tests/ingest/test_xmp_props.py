"""The few XMP lookups the MWG reading needs, in every RDF form a packet may use."""

from __future__ import annotations

from warphoto.imagefile.xmp_props import read_xmp_props

PACKET = """<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
  photoshop:City="Izium">
 <dc:description><rdf:Alt><rdf:li xml:lang="uk">Ізюм</rdf:li>
  <rdf:li xml:lang="x-default">Izium</rdf:li></rdf:Alt></dc:description>
 <dc:subject><rdf:Bag><rdf:li>war</rdf:li><rdf:li>ruins</rdf:li></rdf:Bag></dc:subject>
 <dc:source rdf:resource="https://example.org/a"/>
 <Iptc4xmpExt:LocationShown><rdf:Bag>
  <rdf:li rdf:parseType="Resource"><Iptc4xmpExt:City>Izium</Iptc4xmpExt:City></rdf:li>
  <rdf:li><rdf:Description Iptc4xmpExt:City="Kharkiv"/></rdf:li>
  <rdf:li rdf:parseType="Resource"><Iptc4xmpExt:CountryName>Ukraine</Iptc4xmpExt:CountryName></rdf:li>
 </rdf:Bag></Iptc4xmpExt:LocationShown>
</rdf:Description></rdf:RDF></x:xmpmeta>""".encode()
DC = "http://purl.org/dc/elements/1.1/"
EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"


def test_every_form() -> None:
    props = read_xmp_props((PACKET,))
    assert props.get("http://ns.adobe.com/photoshop/1.0/", "City") == "Izium"
    assert props.get(DC, "description") == "Izium"
    assert props.get(DC, "subject") == ["war", "ruins"]
    assert props.get(DC, "source") == "https://example.org/a"
    assert props.get(DC, "creator") is None
    assert props.struct_field(EXT, "LocationShown", EXT, "City") == ["Izium", "Kharkiv"]
    assert props.struct_field(EXT, "LocationShown", EXT, "Sublocation") is None
