"""Hood partner-contact wire models."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, model_validator

from partnerhub.domain import validators
from partnerhub.errors import ValidationFailed
from partnerhub.surfaces.common.validation import FIELD, custom_error
from partnerhub.surfaces.hood.schemas import HoodIn

ContactType = Literal["email", "phone", "mobile", "skype", "sip", "website"]


class HoodContactIn(HoodIn):
    type: ContactType
    value: str

    @model_validator(mode="after")
    def _value_fits_type(self) -> HoodContactIn:
        try:
            self.value = validators.contact_value(self.type, self.value, f"{FIELD}.value")
        except ValidationFailed as exc:
            raise custom_error(exc.message) from None
        return self


class HoodContactPatch(HoodIn):
    type: ContactType | None = None
    value: str | None = None


# Responses (documentation only).


class HoodContact(BaseModel):
    id: str
    type: ContactType
    value: str


class HoodContactList(BaseModel):
    total: int
    items: list[HoodContact]
