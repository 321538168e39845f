"""Read a JSON Lines file one line at a time so that one bad line never loses the rest.

Each non-blank line becomes (line number, decoded JSON value) or (line number, LineError naming
what is wrong): bytes that are not UTF-8, a line over MAX_LINE bytes, malformed JSON, or JSON
nested deeper than the parser allows. Used by the dataset loader and the ROR importer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_LINE = 4 * 1024 * 1024  # bytes; a ROR v2 record is a few kilobytes


@dataclass(frozen=True)
class LineError:
    message: str
    json_error: str = ""  # the parser's own words, when the line is not JSON


def decode_line(raw: bytes) -> Any:
    """One line's JSON value, or a LineError saying why there is none."""
    if len(raw) > MAX_LINE:
        return LineError(f"line too long ({len(raw)} bytes; at most {MAX_LINE})")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return LineError(f"not valid UTF-8 (byte {exc.start + 1})")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"{exc.msg} at column {exc.colno}"
        return LineError(f"malformed JSON: {where}", where)
    except RecursionError:
        return LineError("malformed JSON: nested too deeply")


def read_json_lines(path: Path) -> Iterator[tuple[int, Any, str]]:
    """(line number, JSON value or LineError, the line as text) for every non-blank line."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            if not raw.strip():
                continue
            value = decode_line(raw)
            text = "" if isinstance(value, LineError) else raw.decode("utf-8").strip()
            yield number, value, text
