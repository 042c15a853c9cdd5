"""The input document the policies receive:
`{"as_of": "YYYY-MM-DD", "file": "requests/x.yaml", "request": {...}}`.

Built in one place so that `martechgov input`, the embedded engines and a remote OPA
server all see byte-for-byte the same document. Fields the requester left out are
absent (not null), exactly as in the file. `file` is the request's path as every output
names it (from the repository root when martechgov runs there, as CI does): IT's
exceptions name it, so another file claiming the same id is not covered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from martechgov.request_model import ToolRequest


def input_document(request: ToolRequest, as_of: dt.date, file: str) -> dict[str, Any]:
    return {
        "as_of": as_of.isoformat(),
        "file": file,
        "request": request.model_dump(mode="json", exclude_none=True),
    }
