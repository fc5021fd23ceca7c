"""CRM wire models (HubSpot's names): they validate request bodies and describe every body in
OpenAPI."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from partnerhub.domain import bounds, crm_search
from partnerhub.domain.crm_properties import ALL_FIELD_TYPES, TYPES
from partnerhub.domain.crm_search import Direction, Operator


def _id_text(value: Any) -> Any:
    # Record ids are strings on the wire; a JSON number is taken as its digits.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Id = Annotated[str, BeforeValidator(_id_text), Field(min_length=1, max_length=65_536)]
# Stored in an Integer column (32 bits on PostgreSQL).
DisplayOrder = Annotated[int, Field(ge=bounds.INTEGER_MIN, le=bounds.INTEGER_MAX)]
PropertyValue = str | int | float | bool | None
PropertyType = Literal[TYPES]  # type: ignore[valid-type]
FieldType = Literal[ALL_FIELD_TYPES]  # type: ignore[valid-type]


class _In(BaseModel):
    # HubSpot ignores fields it does not use (associations, objectWriteTraceId, …); so do we.
    model_config = ConfigDict(extra="ignore", strict=True)


class _Out(BaseModel):
    model_config = ConfigDict(extra="allow")


# Objects


class CrmObjectInput(_In):
    properties: dict[str, PropertyValue] = Field(
        description="Property values (strings; numbers and booleans are taken as their text). "
        '"" clears a value; for multi-checkbox properties a leading ";" appends.'
    )
    associations: list[Any] = Field(
        default_factory=list, description="Accepted and ignored (no associations in partnerhub)"
    )


class CrmValueWithTimestamp(_Out):
    value: str
    timestamp: str = Field(examples=["2019-10-30T03:30:17.883Z"])
    sourceType: str = Field(examples=["API"])
    sourceId: str | None = Field(None, examples=["token:1000001"])


class CrmObject(_Out):
    id: str = Field(examples=["512"])
    properties: dict[str, str | None]
    createdAt: str = Field(examples=["2019-10-30T03:30:17.883Z"])
    updatedAt: str = Field(examples=["2019-12-07T16:50:06.678Z"])
    archived: bool
    archivedAt: str | None = None
    propertiesWithHistory: dict[str, list[CrmValueWithTimestamp]] | None = None


class CrmUpsertedObject(CrmObject):
    new: bool


class CrmNextPage(_Out):
    after: str
    link: str | None = None


class CrmPaging(_Out):
    next: CrmNextPage


class CrmObjectPage(_Out):
    results: list[CrmObject]
    paging: CrmPaging | None = Field(None, description="Absent on the last page")


class CrmBatchId(_In):
    id: Id


class CrmBatchReadInput(_In):
    inputs: list[CrmBatchId]
    properties: list[str] = Field(default_factory=list)
    propertiesWithHistory: list[str] = Field(default_factory=list)
    idProperty: str | None = None


class CrmBatchCreateItem(_In):
    properties: dict[str, PropertyValue]
    associations: list[Any] = Field(default_factory=list)
    objectWriteTraceId: str | None = None


class CrmBatchCreateInput(_In):
    inputs: list[CrmBatchCreateItem]


class CrmBatchUpdateItem(_In):
    id: Id
    properties: dict[str, PropertyValue]
    idProperty: str | None = None
    objectWriteTraceId: str | None = None


class CrmBatchUpdateInput(_In):
    inputs: list[CrmBatchUpdateItem]


class CrmBatchIdsInput(_In):
    inputs: list[CrmBatchId]


class CrmStandardError(_Out):
    status: str
    category: str
    message: str
    context: dict[str, list[str]] = Field(default_factory=dict)
    errors: list[dict[str, Any]] = Field(default_factory=list)


class CrmBatchResponse(_Out):
    status: Literal["PENDING", "PROCESSING", "CANCELED", "COMPLETE"]
    results: list[CrmObject]
    startedAt: str
    completedAt: str
    numErrors: int | None = Field(None, description="Only in 207 answers")
    errors: list[CrmStandardError] | None = Field(None, description="Only in 207 answers")


# The search body is checked by `domain.crm_search.parse` (it resolves properties and types
# values, which a schema cannot); these models only document it, built from the same constants.


class CrmFilter(_In):
    propertyName: str
    operator: Operator = "EQ"
    value: str | None = None
    highValue: str | None = Field(None, description="BETWEEN only")
    values: list[str] | None = Field(None, description="IN / NOT_IN only")


class CrmFilterGroup(_In):
    filters: list[CrmFilter] = Field(
        default_factory=list, max_length=crm_search.MAX_FILTERS_PER_GROUP
    )


class CrmSort(_In):
    propertyName: str
    direction: Direction = "ASCENDING"


class CrmSearchRequest(_In):
    model_config = ConfigDict(
        json_schema_extra={"description": f"At most {crm_search.MAX_BODY_CHARS} characters of JSON"}
    )

    filterGroups: list[CrmFilterGroup] = Field(
        default_factory=list,
        max_length=crm_search.MAX_GROUPS,
        description=f"OR-ed; at most {crm_search.MAX_FILTERS} filters in total",
    )
    sorts: list[CrmSort | str] = Field(
        default_factory=list,
        max_length=crm_search.MAX_SORTS,
        description='One sort: {propertyName, direction}, "prop" or "-prop"',
    )
    query: str | None = Field(None, description="Searched in every text property")
    properties: list[str] = Field(default_factory=list)
    limit: int = Field(crm_search.DEFAULT_LIMIT, ge=1, le=crm_search.MAX_LIMIT)
    after: str | None = Field(
        None,
        description="Offset of the page (paging.next.after); "
        f"after + limit is at most {crm_search.MAX_RESULTS}",
    )


class CrmSearchResponse(_Out):
    total: int
    results: list[CrmObject]
    paging: CrmPaging | None = None


# Property definitions


def _property(column: str) -> int:
    return bounds.length("crm_properties", column)


def _group(column: str) -> int:
    return bounds.length("crm_property_groups", column)


class CrmOption(BaseModel):
    model_config = ConfigDict(extra="ignore")

    label: str = Field(min_length=1, max_length=255)
    value: str = Field(min_length=1, max_length=255)
    description: str | None = Field(None, max_length=2000)
    displayOrder: DisplayOrder | None = None
    hidden: bool = False


class CrmPropertyCreate(_In):
    name: str = Field(min_length=1, max_length=_property("name"))
    label: str = Field(min_length=1, max_length=_property("label"))
    type: PropertyType
    fieldType: FieldType
    groupName: str = Field(
        "partner_client_information", min_length=1, max_length=_property("group_name")
    )
    description: str = Field("", max_length=2000)
    options: list[CrmOption] = Field(default_factory=list)
    hasUniqueValue: bool = False
    hidden: bool = False
    displayOrder: DisplayOrder = -1
    formField: bool = True


class CrmPropertyUpdate(_In):
    label: str | None = Field(None, min_length=1, max_length=_property("label"))
    type: PropertyType | None = None
    fieldType: FieldType | None = None
    groupName: str | None = Field(None, min_length=1, max_length=_property("group_name"))
    description: str | None = Field(None, max_length=2000)
    options: list[CrmOption] | None = None
    hasUniqueValue: bool | None = None
    hidden: bool | None = None
    displayOrder: DisplayOrder | None = None
    formField: bool | None = None


class CrmModificationMetadata(_Out):
    archivable: bool
    readOnlyDefinition: bool
    readOnlyValue: bool


class CrmProperty(_Out):
    name: str
    label: str
    type: str
    fieldType: str
    groupName: str
    description: str
    options: list[CrmOption]
    hasUniqueValue: bool
    hidden: bool
    displayOrder: DisplayOrder
    formField: bool
    hubspotDefined: bool
    calculated: bool
    externalOptions: bool
    archived: bool
    archivedAt: str | None = None
    createdAt: str | None = None
    updatedAt: str | None = None
    modificationMetadata: CrmModificationMetadata


class CrmPropertyList(_Out):
    results: list[CrmProperty]


class CrmGroupCreate(_In):
    name: str = Field(min_length=1, max_length=_group("name"))
    label: str = Field(min_length=1, max_length=_group("label"))
    displayOrder: DisplayOrder = -1


class CrmGroupUpdate(_In):
    label: str | None = Field(None, min_length=1, max_length=_group("label"))
    displayOrder: DisplayOrder | None = None


class CrmGroup(_Out):
    name: str
    label: str
    displayOrder: DisplayOrder
    archived: bool


class CrmGroupList(_Out):
    results: list[CrmGroup]


# Errors and history


class CrmError(_Out):
    status: Literal["error"]
    message: str
    correlationId: str
    category: str = Field(
        examples=[
            "VALIDATION_ERROR",
            "INVALID_AUTHENTICATION",
            "MISSING_SCOPES",
            "OBJECT_NOT_FOUND",
            "CONFLICT",
            "RATE_LIMITS",
        ]
    )
    errors: list[dict[str, Any]] = Field(default_factory=list)
    context: dict[str, Any] = Field(default_factory=dict)
    errorType: str | None = Field(None, description="RATE_LIMIT on 429")
    policyName: str | None = Field(None, description="TEN_SECONDLY_ROLLING, DAILY or SECONDLY")


class CrmHistoryEntry(_Out):
    version: int
    action: str = Field(examples=["create", "update", "archive", "unarchive"])
    changedAt: str
    sourceType: str
    sourceId: str
    surface: str
    changes: dict[str, dict[str, Any]]


class CrmHistory(_Out):
    total: int
    results: list[CrmHistoryEntry]
    paging: CrmPaging | None = None
