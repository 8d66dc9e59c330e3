"""Read hostile cases one at a time and report what happened (driven by tests/hostile.py).

Protocol: one JSON object per line on stdin, ``{"path", "format", "how"}``; one JSON object
per line on stdout with the error raised (class name and MRO), its message, the seconds
taken, the peak memory growth in MB, every file opened outside the input and Python's own
installation, and every network or process event. ``how`` is ``read`` (``warphoto.read``)
or ``loads`` (the bytes handed to ``warphoto.loads``).

Memory: Linux's ``/proc/self/clear_refs`` (value 5) resets the peak resident set size, so
each case's ``VmHWM`` minus the resident size before it is that case's own peak growth.
File opens and network use are seen through a ``sys.addaudithook`` hook; C libraries that
bypass Python (libxml2) are watched from outside by the test's inotify canary and server.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import warphoto
import warphoto.formats
from audit import NETWORK_EVENTS, opened_outside  # tests/audit.py, beside this script

warphoto.formats.all_formats()  # import every format (and what it imports) before watching

_watching: dict[str, Any] = {"on": False, "input": "", "opens": [], "events": []}


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if not _watching["on"]:
        return
    if event == "open":
        path = opened_outside(args, allowed=_watching["input"])
        if path is not None:
            _watching["opens"].append(path)
    elif event.startswith(NETWORK_EVENTS):
        _watching["events"].append(f"{event} {args!r}"[:200])


def _rss_kb(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1])
    return 0


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
        refs.write("5")


def run_case(path: str, format: str, how: str) -> dict[str, Any]:
    data = Path(path).read_bytes() if how == "loads" else b""
    gc.collect()
    _reset_peak()
    before = _rss_kb("VmRSS:")
    _watching.update(on=True, input=os.path.realpath(path), opens=[], events=[])
    error: BaseException | None = None
    start = time.perf_counter()
    try:
        if how == "loads":
            warphoto.loads(data, format, source=path)
        else:
            warphoto.read(path, format)
    except BaseException as caught:
        error = caught
    seconds = time.perf_counter() - start
    _watching["on"] = False
    peak = _rss_kb("VmHWM:")
    message = ""
    if error is not None:
        try:
            message = str(error)[:2000]
        except BaseException as unprintable:
            message = f"<str() failed: {unprintable!r}>"
    return {
        "error": type(error).__name__ if error is not None else None,
        "classes": [cls.__name__ for cls in type(error).__mro__] if error is not None else [],
        "message": message,
        "seconds": seconds,
        "peak_mb": max(0, peak - before) / 1024,
        "opens": list(_watching["opens"]),
        "events": list(_watching["events"]),
    }


def main() -> int:
    sys.setrecursionlimit(1000)
    sys.addaudithook(_audit)
    print("ready", flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        answer = run_case(request["path"], request["format"], request.get("how", "read"))
        print(json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
