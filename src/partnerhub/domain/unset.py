"""The "not sent" of a PATCH field, kept apart from a field sent as `null`."""

from __future__ import annotations

import enum
from typing import Final


class Unset(enum.Enum):
    """A PATCH field that was not sent (as opposed to one sent as `null`)."""

    UNSET = "UNSET"


UNSET: Final = Unset.UNSET
