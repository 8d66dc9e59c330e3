"""The one place c2pa-python (the optional extra ``warphoto[c2pa]``) is called, offline: no
remote manifest fetch, no OCSP, no network host allowed. It has no type stubs: what it returns
is checked here and given precise types."""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warphoto.errors import ReadError

__all__ = ["OFFLINE", "C2paReading", "c2pa_available", "read_c2pa"]

#: c2pa-rs settings: nothing is fetched (the manifest store, OCSP responses, trust lists)
OFFLINE: dict[str, Any] = {
    "verify": {"remote_manifest_fetch": False, "ocsp_fetch": False},
    "core": {"allowed_network_hosts": []},
}
_REMOTE = "Remote: must fetch remote manifests from url "


@dataclass(frozen=True)
class C2paReading:
    """c2pa-python's report (``Reader.json()``) of a manifest store, or the URL of a remote one."""

    store: dict[str, Any] | None = None
    remote_url: str | None = None


def _module() -> Any:
    return importlib.import_module("c2pa")


def c2pa_available() -> bool:
    """Is c2pa-python installed?"""
    try:
        _module()
    except ImportError:
        return False
    return True


def read_c2pa(path: str | Path) -> C2paReading:
    """The C2PA manifest store of the file at ``path`` as c2pa-python reads it (an empty reading
    when it has none). A store that cannot be read is a :class:`~warphoto.errors.ReadError`;
    ``ImportError`` when c2pa-python is missing."""
    c2pa = _module()
    source = str(path)
    try:
        context = c2pa.Context.from_dict(OFFLINE)
        reader = c2pa.Reader(source, context=context)
        try:
            text = reader.json()
        finally:
            reader.close()
    except (c2pa.C2paError.ManifestNotFound, c2pa.C2paError.NotSupported):
        return C2paReading()  # none, or a container c2pa-python cannot hold a manifest in
    except c2pa.C2paError as error:
        message = str(error)
        if message.startswith(_REMOTE):
            return C2paReading(remote_url=message[len(_REMOTE) :].strip())
        raise ReadError(f"the C2PA manifest store cannot be read: {message}", source=source) from None
    try:
        store = json.loads(text)
    except (TypeError, ValueError) as error:
        raise ReadError(f"c2pa-python's report is not JSON: {error}", source=source) from None
    if not isinstance(store, dict):
        raise ReadError("c2pa-python's report is not a JSON object", source=source)
    return C2paReading(store=store)
