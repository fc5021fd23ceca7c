"""Pure value validators shared by every API surface.

Each validator takes the raw value and the dotted field path used in messages, and returns the
normalized value or raises `ValidationFailed` naming that field and the rule it broke.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

import email_validator
import pycountry

from partnerhub.domain import bounds
from partnerhub.errors import ValidationFailed

__all__ = [
    "CONTACT_TYPES",
    "column_text",
    "contact_value",
    "country_alpha2",
    "country_alpha3",
    "email",
    "emails",
    "enum",
    "http_url",
    "no_nul",
    "phone",
    "short_text",
    "website",
]

CONTACT_TYPES = ("email", "phone", "mobile", "skype", "sip", "website")

EMAIL_MAX_LEN = 254
URL_MAX_LEN = 2048
CONTACT_VALUE_MAX_LEN = bounds.length("hood_partner_contacts", "value")

_PHONE = re.compile(r"\+?[0-9](?:[ ().-]*[0-9])*")
_HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed.one(field, f"{field} {message}")


def no_nul(value: str, field: str) -> str:
    if "\x00" in value:
        raise _fail(field, "must not contain NUL bytes.")
    return value


def _string(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise _fail(field, "must be a string.")
    return no_nul(value, field)


def email(value: object, field: str) -> str:
    """One address, trimmed, with the domain lower-cased and the local part kept as given.

    The RFC 5321 64-octet local-part cap is optional and real addresses exceed it, so it is not
    applied: email-validator >= 2.3 only enforces it with `strict=True`, hence `strict=False`.
    The 254-character limit on the whole address still applies.
    """
    address = _string(value, field).strip()
    invalid = _fail(field, "must be a valid e-mail address (john@example.com).")
    if len(address) > EMAIL_MAX_LEN:
        raise _fail(field, f"must be at most {EMAIL_MAX_LEN} characters.")
    try:
        email_validator.validate_email(address, check_deliverability=False, strict=False)
    except email_validator.EmailNotValidError:
        raise invalid from None
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def emails(value: object, field: str, *, max_len: int) -> str:
    """One or more comma-separated addresses; returned joined by "," in the given order, at
    most max_len characters joined."""
    joined = ",".join(email(part, field) for part in _string(value, field).split(","))
    return _at_most(joined, field, max_len)


def phone(value: object, field: str, *, max_len: int) -> str:
    """E.164-shaped: optional "+", 5-15 digits, with space - . ( ) allowed between digits; at
    most max_len characters as kept (trimmed, separators included)."""
    number = _string(value, field).strip()
    digits = sum("0" <= ch <= "9" for ch in number)
    if not _PHONE.fullmatch(number) or not 5 <= digits <= 15:
        raise _fail(field, "must be a phone number in E.164 form (+14155550100).")
    return _at_most(number, field, max_len)


def _at_most(text: str, field: str, max_len: int) -> str:
    if len(text) > max_len:
        raise _fail(field, f"must be at most {max_len} characters.")
    return text


def column_text(table: str, column: str, *, min_len: int = 1) -> Callable[[object, str], str]:
    """`short_text` bounded by the column the value is stored in (domain/bounds.py)."""
    max_len = bounds.length(table, column)
    return lambda value, field: short_text(value, field, max_len=max_len, min_len=min_len)


def short_text(value: object, field: str, *, max_len: int = 255, min_len: int = 1) -> str:
    """A string of min_len..max_len characters, kept as given (not trimmed)."""
    text = _string(value, field)
    if min_len >= 1 and not text.strip():
        raise _fail(field, "must not be blank.")
    if len(text) < min_len:
        raise _fail(field, f"must be at least {min_len} characters.")
    if len(text) > max_len:
        raise _fail(field, f"must be at most {max_len} characters.")
    return text


def _valid_host(host: str, *, need_dot: bool) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        return False
    labels = ascii_host.lower().removesuffix(".").split(".")
    return (
        len(ascii_host) <= 253
        and (len(labels) > 1 or not need_dot)
        and not labels[-1].isdigit()
        and all(_HOST_LABEL.fullmatch(label) for label in labels)
    )


def _url_ok(text: str, *, bare_allowed: bool) -> bool:
    if not text or len(text) > URL_MAX_LEN:
        return False
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 or ch == "\\" for ch in text):
        return False
    bare = "://" not in text
    if bare and not bare_allowed:
        return False
    try:
        parts = urlsplit(f"http://{text}" if bare else text)
        _ = parts.port  # raises ValueError on a non-numeric or out-of-range port
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    if bare and parts.username is not None:
        return False  # "mailto:a@b.com" would otherwise parse as userinfo + host
    return _valid_host(parts.hostname, need_dot=bare)


def website(value: object, field: str) -> str:
    """A bare host name (optional :port and path) or an http(s) URL; returned as given."""
    text = _string(value, field)
    if not _url_ok(text, bare_allowed=True):
        raise _fail(field, "must be a host name or an http(s) URL (https://example.com).")
    return text


def http_url(value: object, field: str) -> str:
    """An absolute http(s) URL with a host; returned as given."""
    text = _string(value, field)
    if not _url_ok(text, bare_allowed=False):
        raise _fail(field, "must be an absolute http(s) URL (https://example.com/hook).")
    return text


def country_alpha2(value: object, field: str) -> str:
    code = _string(value, field).upper()
    if not (len(code) == 2 and code.isascii() and code.isalpha()) or (
        pycountry.countries.get(alpha_2=code) is None
    ):
        raise _fail(field, "must be an ISO 3166-1 alpha-2 country code.")
    return code


def country_alpha3(value: object, field: str) -> str:
    code = _string(value, field).upper()
    if not (len(code) == 3 and code.isascii() and code.isalpha()) or (
        pycountry.countries.get(alpha_3=code) is None
    ):
        raise _fail(field, "must be an ISO 3166-1 alpha-3 country code.")
    return code


def enum(value: object, field: str, allowed: Sequence[str]) -> str:
    text = _string(value, field)
    if text not in allowed:
        raise _fail(field, f"must be one of {', '.join(allowed)}.")
    return text


def contact_value(contact_type: str, value: object, field: str) -> str:
    """Validate a contact's value by its type. An unknown type is reported on the sibling
    `type` field (e.g. `contacts.0.value` -> `contacts.0.type`)."""
    if contact_type == "email":
        return email(value, field)
    if contact_type in ("phone", "mobile"):
        return phone(value, field, max_len=CONTACT_VALUE_MAX_LEN)
    if contact_type in ("skype", "sip"):
        return short_text(value, field, max_len=255)
    if contact_type == "website":
        return website(value, field)
    parent, dot, _ = field.rpartition(".")
    return enum(contact_type, f"{parent}{dot}type", CONTACT_TYPES)
