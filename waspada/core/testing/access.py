"""The access-matrix helper: one call checks an endpoint for every persona.

    check_access(client_for, "get", "/api/v1/users/5/", {
        "anonymous": 403, "operator_6271": 404, "analyst_62": 200, ...
    })

Every persona in `expected` is requested in turn with a fresh client; a mismatch fails with the
whole table of expected and actual status codes, so one run shows every hole at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

ClientFor = Callable[[str], Any]


def check_access(
    client_for: ClientFor,
    method: str,
    url: str | Callable[[], str],
    expected: dict[str, int],
    data: dict[str, Any] | Callable[[], dict[str, Any]] | None = None,
    *,
    fmt: str = "json",
) -> None:
    rows = []
    failed = False
    for persona, want in expected.items():
        target = url() if callable(url) else url
        body = data() if callable(data) else data
        client = client_for(persona)
        call = getattr(client, method.lower())
        kwargs: dict[str, Any] = {}
        if body is not None:
            kwargs["data"] = body
            if method.lower() != "get":
                kwargs["format" if hasattr(client, "credentials") else "content_type"] = (
                    fmt if hasattr(client, "credentials") else "application/json"
                )
        response = call(target, **kwargs)
        got = response.status_code
        mark = "ok" if got == want else "WRONG"
        failed |= got != want
        rows.append(f"  {persona:<16} expected {want}  got {got}  {mark}")
    if failed:
        raise AssertionError(f"access matrix for {method.upper()} {url}:\n" + "\n".join(rows))


class FormClient:
    """check_access posts JSON; pages read forms: this wraps a Django test client so that its
    posts are form-encoded (the `form_as` fixture gives one per persona)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.client.get(url, **kwargs)

    def post(self, url: str, data: Any = None, content_type: Any = None, **kwargs: Any) -> Any:
        return self.client.post(url, data or {}, **kwargs)
