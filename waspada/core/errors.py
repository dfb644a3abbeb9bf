"""Domain errors raised by services; views and the API map them to status codes."""

from __future__ import annotations


class DomainError(Exception):
    """A business rule refused the operation (answered as 400 unless a subclass says otherwise)."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str = "", **params: object) -> None:
        super().__init__(message)
        self.message = message
        self.params = params


class OutOfScope(DomainError):
    """The object or area lies outside the actor's scope; answered as 404 so nothing leaks."""

    status_code = 404
    code = "not_found"

    def __init__(self, area_code: str = "") -> None:
        super().__init__("Tidak ditemukan.")
        self.area_code = area_code


class Conflict(DomainError):
    """Someone else changed the object first (optimistic concurrency)."""

    status_code = 409
    code = "conflict"


class InvalidInput(DomainError):
    """Input failed validation; `errors` maps field names (or row numbers) to messages."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}
