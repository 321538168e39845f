"""Domain errors raised by services; the API maps them to HTTP codes and the CLI to exit codes."""

from __future__ import annotations


class DomainError(Exception):
    """Base class of every error a service raises on purpose; `problems` lists the details."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class NotFoundError(DomainError):
    pass


class ConflictError(DomainError):
    pass


class PermissionDeniedError(DomainError):
    pass


class ValidationError(DomainError):
    """Bad input; `problems` lists each as `file:line: field: what is wrong` (or similar)."""


def http_status(exc: DomainError) -> int:
    """The HTTP status of a domain error, for the API and for pages that show it in place."""
    for cls, code in (
        (NotFoundError, 404),
        (ConflictError, 409),
        (PermissionDeniedError, 403),
        (ValidationError, 422),
    ):
        if isinstance(exc, cls):
            return code
    return 400
