"""Validating a parsed body against a pydantic model, with messages that name field and rule.

Domain validators plug into models through `rule(...)`; their messages carry a `<f>` marker
that is replaced here by the field's full dotted path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from pydantic import AfterValidator, BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from partnerhub.errors import FieldProblem, ProblemList, ValidationFailed

FIELD = "<f>"
ModelT = TypeVar("ModelT", bound=BaseModel)
T = TypeVar("T")


def _path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(p) for p in loc)


def custom_error(message: str) -> PydanticCustomError:
    return PydanticCustomError("partnerhub", "{message}", {"message": message})


def rule(check: Callable[[Any, str], T]) -> AfterValidator:
    """Wrap a domain validator `check(value, field)` for use in an Annotated model field."""

    def run(value: Any) -> T:
        try:
            return check(value, FIELD)
        except ValidationFailed as exc:
            raise custom_error(exc.message) from None

    return AfterValidator(run)


def _message(err: Any) -> str:
    path = _path(err["loc"])
    field = path or "body"
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "partnerhub":
        text: str = ctx["message"]
        return text.replace(FIELD + ".", f"{path}." if path else "").replace(FIELD, field)
    if kind == "missing":
        return f"{field} is required."
    if kind == "literal_error":
        expected = ctx.get("expected", "").replace("'", "").replace(" or ", ", ")
        return f"{field} must be one of {expected}."
    if kind in ("string_type", "string_sub_type"):
        return f"{field} must be a string."
    if kind in ("list_type", "tuple_type", "set_type"):
        return f"{field} must be an array."
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"{field} must be an object."
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{field} must be an integer."
    if kind in ("bool_type", "bool_parsing"):
        return f"{field} must be a boolean."
    if kind == "too_short":
        return f"{field} must have at least {ctx.get('min_length')} item(s)."
    if kind == "too_long":
        return f"{field} must have at most {ctx.get('max_length')} item(s)."
    if kind == "string_too_short":
        return f"{field} must be at least {ctx.get('min_length')} character(s) long."
    if kind == "string_too_long":
        return f"{field} must be at most {ctx.get('max_length')} characters long."
    if kind == "extra_forbidden":
        return f"{field} is not a known field."
    if kind == "none_required":
        return f"{field} must be null."
    return f"{field}: {err['msg']}."


def problems_of(exc: ValidationError) -> list[FieldProblem]:
    return [
        FieldProblem(_path(err["loc"]) or None, _message(err), err["type"].upper())
        for err in exc.errors(include_url=False)
    ]


def refuse_nulls(body: Mapping[str, Any], fields: Iterable[str]) -> None:
    """An explicit `null` for a field that cannot be empty (absent would be fine)."""
    problems = ProblemList()
    for name in fields:
        if name in body and body[name] is None:
            problems.add(name, f"{name} must not be null.", "NOT_NULLABLE")
    problems.raise_if_any()


def validate(model: type[ModelT], data: Any) -> ModelT:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(problems_of(exc)) from None
