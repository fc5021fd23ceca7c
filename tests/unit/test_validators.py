from __future__ import annotations

import functools
from collections.abc import Callable
from string import ascii_letters

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnerhub.domain import validators as v
from partnerhub.errors import ValidationFailed

LONG_LOCAL = (  # 99 characters, over RFC 5321's optional 64-octet local-part cap
    "fIS0C1guzHZ6jxidFyOXbFh47nYMzS3ZhUCvKCpwvfuY3s1G9ofAD8sJyjzdWG9J024HroFNBRDg7LNmHi"
    "ycjBgeUAJ8S13Crgs"
)
Validator = Callable[[object, str], str]


EMAILS = functools.partial(v.emails, max_len=2048)
PHONE = functools.partial(v.phone, max_len=32)


def rejects(fn: Validator, value: object, field: str = "f.x") -> str:
    with pytest.raises(ValidationFailed) as info:
        fn(value, field)
    (problem,) = info.value.problems
    assert problem.field == field
    assert problem.message.startswith(f"{field} ")
    return problem.message


# --- email / emails ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("john@example.com", "john@example.com"),
        ("  John.Doe@Example.COM ", "John.Doe@example.com"),
        (f"{LONG_LOCAL}@fafa.com", f"{LONG_LOCAL}@fafa.com"),
        ("a+tag@sub.example.co.uk", "a+tag@sub.example.co.uk"),
    ],
)
def test_email_accepts(raw: str, expected: str) -> None:
    assert len(LONG_LOCAL) == 99
    assert v.email(raw, "email") == expected


@pytest.mark.parametrize(
    "raw",
    [
        "[email protected]",
        "",
        "john",
        "john@",
        "@example.com",
        "john@localhost",
        "john doe@example.com",
        "John <john@example.com>",
        "a@b@example.com",
        "a\x00@example.com",
        "a" * 250 + "@x.com",
    ],
)
def test_email_rejects(raw: str) -> None:
    rejects(v.email, raw)


def test_email_message() -> None:
    assert rejects(v.email, "nope", "value") == (
        "value must be a valid e-mail address (john@example.com)."
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a@x.com", "a@x.com"),
        ("a@X.com , B@y.com,c@z.org", "a@x.com,B@y.com,c@z.org"),
        (f"b@y.com, {LONG_LOCAL}@fafa.com", f"b@y.com,{LONG_LOCAL}@fafa.com"),
    ],
)
def test_emails_accepts(raw: str, expected: str) -> None:
    assert v.emails(raw, "to", max_len=2048) == expected


@pytest.mark.parametrize("raw", ["", ",", "a@x.com,", "a@x.com,,b@x.com", "a@x.com; b@x.com"])
def test_emails_rejects(raw: str) -> None:
    rejects(EMAILS, raw, "to")


# --- phone -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["+785596522", "+1235165336", "+38160333444", "43164324", "+1 (415) 555-0100", "12345"],
)
def test_phone_accepts(raw: str) -> None:
    assert v.phone(f" {raw} ", "phone", max_len=32) == raw


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "+1415555abcd",
        "call me",
        "++14155550100",
        "1234",
        "+1234",
        "1" * 16,
        "+(415) 5550100",
        "14155550100-",
        "+1\n4155550100",
    ],
)
def test_phone_rejects(raw: str) -> None:
    rejects(PHONE, raw)


# --- short_text / no_nul -----------------------------------------------------------------------


def test_short_text_keeps_value_untrimmed() -> None:
    assert v.short_text("  Acme  ", "name") == "  Acme  "
    assert v.short_text("x" * 255, "name") == "x" * 255
    assert v.short_text("", "note", min_len=0) == ""
    assert v.short_text("   ", "note", min_len=0) == "   "


@pytest.mark.parametrize(
    ("raw", "kwargs", "rule"),
    [
        ("", {}, "must not be blank."),
        (" \t ", {}, "must not be blank."),
        ("x" * 256, {}, "must be at most 255 characters."),
        ("abcd", {"max_len": 3}, "must be at most 3 characters."),
        ("ab", {"min_len": 3}, "must be at least 3 characters."),
        ("a\x00b", {}, "must not contain NUL bytes."),
    ],
)
def test_short_text_rejects(raw: str, kwargs: dict[str, int], rule: str) -> None:
    message = rejects(lambda value, field: v.short_text(value, field, **kwargs), raw, "name")
    assert message == f"name {rule}"


def test_no_nul() -> None:
    assert v.no_nul("fine", "x") == "fine"
    assert rejects(v.no_nul, "\x00", "x") == "x must not contain NUL bytes."


# --- website / http_url ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "fsf.com",
        "hairdresser-saloon.com",
        "sub.example.co.uk",
        "example.com:8080",
        "example.com/path?q=1",
        "http://example.com",
        "https://sub.example.co.uk:8443/a/b?c=d#e",
        "HTTPS://Example.com",
        "http://localhost:8000",
        "http://127.0.0.1/x",
        "http://[::1]:8080/",
        "münchen.de",
    ],
)
def test_website_accepts(raw: str) -> None:
    assert v.website(raw, "website") == raw


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "ftp://x.com",
        "javascript:alert(1)",
        "mailto:a@b.com",
        "data:text/html,hi",
        "exa mple.com",
        "example.com/a b",
        "localhost",
        "-bad.com",
        "bad-.com",
        "a..b.com",
        "http://",
        "https://:80",
        "http://exa_mple.com",
        "example.com:99999",
        "http://a.com\\@b.com",
        "1.2.3.4.5",
        "x." * 1024 + "com",
    ],
)
def test_website_rejects(raw: str) -> None:
    rejects(v.website, raw)


@pytest.mark.parametrize(
    "raw",
    ["https://hooks.example.com/cb", "http://localhost:8000/hook", "https://10.0.0.1:8443/a?b=c"],
)
def test_http_url_accepts(raw: str) -> None:
    assert v.http_url(raw, "callback_url") == raw


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "example.com/cb",
        "ftp://example.com",
        "//example.com/x",
        "https:///x",
        "https://e.com/" + "a" * 2040,
    ],
)
def test_http_url_rejects(raw: str) -> None:
    rejects(v.http_url, raw)


# --- countries ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"), [("ca", "CA"), ("rs", "RS"), ("US", "US"), ("gB", "GB")]
)
def test_country_alpha2_accepts(raw: str, expected: str) -> None:
    assert v.country_alpha2(raw, "country") == expected


@pytest.mark.parametrize("raw", ["XX", "CAN", "1", "", "c", " ca", "ÇA"])
def test_country_alpha2_rejects(raw: str) -> None:
    message = rejects(v.country_alpha2, raw, "billing_address.country")
    assert message == "billing_address.country must be an ISO 3166-1 alpha-2 country code."


@pytest.mark.parametrize(("raw", "expected"), [("usa", "USA"), ("CAN", "CAN"), ("srb", "SRB")])
def test_country_alpha3_accepts(raw: str, expected: str) -> None:
    assert v.country_alpha3(raw, "country") == expected


@pytest.mark.parametrize("raw", ["US", "XXX", "", "1234", "us a"])
def test_country_alpha3_rejects(raw: str) -> None:
    assert rejects(v.country_alpha3, raw) == "f.x must be an ISO 3166-1 alpha-3 country code."


# --- enum --------------------------------------------------------------------------------------

STATUSES = ("active", "inactive", "pending", "suspended", "terminated")


def test_enum() -> None:
    assert v.enum("pending", "status", STATUSES) == "pending"
    for bad in ("Active", " active", "", "deleted"):
        message = rejects(lambda value, field: v.enum(value, field, STATUSES), bad, "status")
        assert message == "status must be one of active, inactive, pending, suspended, terminated."


def test_the_bound_applies_to_the_value_as_kept() -> None:
    """Separators count (the phone is stored as sent) and so do the commas of a joined list."""
    assert v.phone("+1 415 555 0100", "p", max_len=15) == "+1 415 555 0100"
    message = rejects(functools.partial(v.phone, max_len=14), "+1 415 555 0100", "p")
    assert message == "p must be at most 14 characters."
    joined = "a@x.com,b@x.com"
    assert v.emails(joined, "to", max_len=len(joined)) == joined
    message = rejects(functools.partial(v.emails, max_len=len(joined) - 1), joined, "to")
    assert message == f"to must be at most {len(joined) - 1} characters."


def test_phone_counts_ascii_digits_only() -> None:
    rejects(PHONE, "+\u0663\u0663\u0663\u0663\u0663\u0663")
    rejects(PHONE, "+1234\u00b2")


# --- non-strings -------------------------------------------------------------------------------

ALL: list[Validator] = [
    v.email,
    EMAILS,
    PHONE,
    v.short_text,
    v.website,
    v.http_url,
    v.country_alpha2,
    v.country_alpha3,
    lambda value, field: v.enum(value, field, STATUSES),
    lambda value, field: v.contact_value("skype", value, field),
]


@pytest.mark.parametrize("fn", ALL)
@pytest.mark.parametrize("raw", [None, True, False, 0, 12345678, 1.5, b"a@x.com", ["a"], {"a": 1}])
def test_non_strings_rejected(fn: Validator, raw: object) -> None:
    assert rejects(fn, raw, "a.b") == "a.b must be a string."


# --- contact_value -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("email", "Jo@Example.com", "Jo@example.com"),
        ("phone", "+1 (415) 555-0100", "+1 (415) 555-0100"),
        ("mobile", "+38160333444", "+38160333444"),
        ("skype", "live:jo.doe", "live:jo.doe"),
        ("sip", "sip:jo@example.com", "sip:jo@example.com"),
        ("website", "fsf.com", "fsf.com"),
    ],
)
def test_contact_value_accepts(kind: str, raw: str, expected: str) -> None:
    assert kind in v.CONTACT_TYPES
    assert v.contact_value(kind, raw, "contacts.0.value") == expected


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        ("email", "+14155550100"),
        ("phone", "jo@example.com"),
        ("mobile", "12"),
        ("skype", "x" * 256),
        ("sip", "   "),
        ("website", "ftp://x.com"),
    ],
)
def test_contact_value_rejects(kind: str, raw: str) -> None:
    rejects(lambda value, field: v.contact_value(kind, value, field), raw, "contacts.0.value")


def test_contact_value_unknown_type_blames_type_field() -> None:
    with pytest.raises(ValidationFailed) as info:
        v.contact_value("fax", "123456", "contacts.0.value")
    assert info.value.field == "contacts.0.type"
    assert info.value.message.startswith("contacts.0.type must be one of email, phone,")
    with pytest.raises(ValidationFailed) as info:
        v.contact_value("fax", "123456", "value")
    assert info.value.field == "type"


# --- properties --------------------------------------------------------------------------------

TEXT = st.one_of(
    st.text(),
    st.text(alphabet="abcXYZ019@.:/-+()[] ,_\\\x00é", max_size=40),
    st.from_regex(r"https?://[a-z0-9.:\[\]-]{0,30}(/.*)?", fullmatch=True),
)


@pytest.mark.parametrize("fn", ALL)
@given(raw=TEXT)
def test_only_str_or_validation_failed(fn: Validator, raw: str) -> None:
    try:
        result = fn(raw, "field")
    except ValidationFailed as exc:
        assert exc.field == "field"
    else:
        assert isinstance(result, str)


@given(raw=st.one_of(st.text(max_size=3), st.text(alphabet=ascii_letters, min_size=2, max_size=2)))
def test_country_alpha2_output_shape(raw: str) -> None:
    try:
        code = v.country_alpha2(raw, "country")
    except ValidationFailed:
        return
    assert len(code) == 2 and code.isascii() and code.isalpha() and code.isupper()
