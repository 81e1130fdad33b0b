"""The API's error body and the statuses its routes document in the OpenAPI schema."""

from typing import Any

from ninja import Schema

# Every route can answer these: no or a bad token, a malformed parameter, a fault.
COMMON = (401, 422, 500)


class FieldError(Schema):
    field: str
    message: str


class Error(Schema):
    detail: str
    errors: list[FieldError] | dict[str, list[str]] | None = None


def answers(ok: Any, *statuses: int) -> dict[int, Any]:
    """`response=` of a route: its 200 body, and an `Error` for each status it may answer."""
    return {200: ok} | dict.fromkeys(sorted({*COMMON, *statuses}), Error)
