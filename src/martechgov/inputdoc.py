"""The input document the policies receive: `{"as_of": "YYYY-MM-DD", "request": {...}}`.

Built in one place so that `martechgov input`, the embedded engines and a remote OPA
server all see byte-for-byte the same document. Fields the requester left out are
absent (not null), exactly as in the file.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from martechgov.request_model import ToolRequest


def input_document(request: ToolRequest, as_of: dt.date) -> dict[str, Any]:
    return {
        "as_of": as_of.isoformat(),
        "request": request.model_dump(mode="json", exclude_none=True),
    }
