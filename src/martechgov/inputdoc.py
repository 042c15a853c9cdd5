"""The input document the policies receive:
`{"as_of": "YYYY-MM-DD", "file": "requests/x.yaml", "request": {...}, "keys": {...}}`.

Built in one place so that `martechgov input`, the embedded engines and a remote OPA
server all see byte-for-byte the same document. Fields the requester left out are
absent (not null), exactly as in the file. The request is already canonical (see
request_model: text, bounded numbers, dates in range).

`file` is the request's path as every output names it (from the repository root when
martechgov runs there, as CI does): IT's exceptions name it, so another file claiming
the same id is not covered.

`keys` holds the forms rules compare names by, computed here once because the Rego
engines lowercase non-ASCII text differently (regopy only ASCII; regorus `İ` -> `i̇`):
`keys.vendor` is the vendor name as names compare (`request_values.name_key`: case,
accents, punctuation and a trailing legal form set aside), the same key IT's block list
carries. Rules read it through `lib.vendor_key`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from martechgov.request_model import ToolRequest
from martechgov.request_values import name_key


def input_document(request: ToolRequest, as_of: dt.date, file: str) -> dict[str, Any]:
    return {
        "as_of": as_of.isoformat(),
        "file": file,
        "request": request.model_dump(mode="json", exclude_none=True),
        "keys": {"vendor": name_key(request.tool.vendor)},
    }
