"""Domain errors: stable codes, a message, the field at fault, and a status hint.

Services raise these; each surface renders them in its own envelope. Nothing here knows HTTP
beyond the numeric status hint.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One bad field: its dotted path (None: the whole body) and the rule it broke."""

    field: str | None
    message: str
    code: str = "INVALID"


class DomainError(Exception):
    """Base of every error a surface knows how to render."""

    status = 400
    code = "BAD_REQUEST"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    @property
    def problems(self) -> list[FieldProblem]:
        return [FieldProblem(self.field, self.message, self.code)]


class InvalidBody(DomainError):
    """The body could not be parsed at all (not JSON, not an object, too deep)."""

    code = "INVALID_BODY"


class UnsupportedMediaType(DomainError):
    status = 415
    code = "UNSUPPORTED_MEDIA_TYPE"


class PayloadTooLarge(DomainError):
    status = 413
    code = "PAYLOAD_TOO_LARGE"


class ValidationFailed(DomainError):
    """One or more fields broke a rule. `problems` lists each."""

    status = 422
    code = "VALIDATION_ERROR"

    def __init__(self, problems: list[FieldProblem]) -> None:
        first = problems[0]
        super().__init__(first.message, field=first.field)
        self._problems = problems

    @property
    def problems(self) -> list[FieldProblem]:
        return list(self._problems)

    @classmethod
    def one(cls, field: str | None, message: str, code: str = "INVALID") -> ValidationFailed:
        return cls([FieldProblem(field, message, code)])


class EmptyPatch(ValidationFailed):
    """A PATCH that carries no updatable field."""

    code = "EMPTY_PATCH"


class NotFound(DomainError):
    """The object does not exist, or belongs to another account (the two are indistinguishable)."""

    status = 404
    code = "NOT_FOUND"

    def __init__(
        self, kind: str, object_id: str | None = None, *, detail: str | None = None
    ) -> None:
        super().__init__(detail or f"Unknown {kind} id.", field="id")
        self.kind = kind
        self.object_id = object_id
        self.detail = detail  # a surface shows it instead of its own not-found wording


class Conflict(DomainError):
    status = 409
    code = "CONFLICT"


class IdempotencyMismatch(DomainError):
    """The Idempotency-Key was used before with another body."""

    status = 422
    code = "IDEMPOTENCY_KEY_REUSED"

    def __init__(self) -> None:
        super().__init__(
            "Idempotency-Key was already used with a different request body.",
            field="Idempotency-Key",
        )


class PreconditionFailed(DomainError):
    status = 412
    code = "PRECONDITION_FAILED"

    def __init__(self, current_etag: str) -> None:
        super().__init__(
            f"If-Match does not match the current version ({current_etag}).", field="If-Match"
        )
        self.current_etag = current_etag


class Unauthenticated(DomainError):
    status = 401
    code = "INVALID_AUTHENTICATION"


class MissingScope(DomainError):
    status = 403
    code = "MISSING_SCOPES"

    def __init__(self, scopes: tuple[str, ...]) -> None:
        needed = " or ".join(scopes)
        super().__init__(f"This token lacks the scope this route needs: {needed}.")
        self.scopes = scopes


class RateLimited(DomainError):
    status = 429
    code = "RATE_LIMITS"

    def __init__(self, retry_after: int, policy: str) -> None:
        super().__init__(f"Rate limit exceeded ({policy}). Retry after {retry_after} s.")
        self.retry_after = retry_after
        self.policy = policy


class Unavailable(DomainError):
    """A dependency (the database, the rate-limit store) cannot be reached; worth a retry."""

    status = 503
    code = "SERVICE_UNAVAILABLE"


class RuleViolation(DomainError):
    """A business rule forbids the change (e.g. archiving a deal with an active campaign)."""

    code = "RULE_VIOLATION"


@dataclass(frozen=True, slots=True)
class ProblemList:
    """Collects field problems while validating, to raise them all at once."""

    items: list[FieldProblem] = field(default_factory=list)

    def add(self, field_name: str | None, message: str, code: str = "INVALID") -> None:
        self.items.append(FieldProblem(field_name, message, code))

    def raise_if_any(self) -> None:
        if self.items:
            raise ValidationFailed(self.items)
