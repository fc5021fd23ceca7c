"""What each Hood list can filter, sort and search on (Ocamba's List Partners tip, §2.6)."""

from __future__ import annotations

from partnerhub.domain import hood_campaign_fields as campaign_object_fields
from partnerhub.domain import hood_campaigns as campaign_rules
from partnerhub.domain import hood_deals as deal_rules
from partnerhub.domain import hood_integrations as integration_rules
from partnerhub.domain import hood_partners as rules
from partnerhub.domain.hood_listquery import FieldSpec, ResourceSpec, SortKey

PARTNERS = ResourceSpec(
    fields=(
        FieldSpec("id", "number", sortable=True, nullable=False),
        FieldSpec("name", "string", sortable=True, searchable=True, nullable=False),
        FieldSpec("description", "string", filterable=False, searchable=True),
        FieldSpec("type", "array", enum=rules.TYPES, nullable=False),
        FieldSpec("status", "enum", sortable=True, enum=rules.STATUSES, nullable=False),
        FieldSpec("manager_ids", "array", filter_name="managers", nullable=False),
        FieldSpec("payment_frequency", "enum", enum=rules.PAYMENT_FREQUENCIES),
        FieldSpec("payment_method", "enum", enum=rules.PAYMENT_METHODS),
        FieldSpec("net_terms", "enum", enum=rules.NET_TERMS),
        FieldSpec("currency_code", "enum", enum=rules.CURRENCIES, filter_name="currency"),
        FieldSpec("archived", "flag", nullable=False),
        FieldSpec("create_time", "datetime", sortable=True, nullable=False),
        FieldSpec("update_time", "datetime", sortable=True, nullable=False),
    ),
    default_search=("name",),
    default_sort=(SortKey("id", False),),
    output_fields=frozenset(
        {
            "id",
            "company_id",
            "manager_ids",
            "managers",
            "name",
            "description",
            "type",
            "status",
            "payment_terms",
            "billing_address",
            "contact",
            "contacts",
            "archived",
            "system",
            "create_time",
            "update_time",
        }
    ),
)


def single(spec: ResourceSpec) -> ResourceSpec:
    """Get-by-id takes only `fields` (from the list's output fields) and `view`."""
    return ResourceSpec(
        fields=(FieldSpec("id", "number", filterable=False),),
        default_search=(),
        default_sort=(SortKey("id", False),),
        output_fields=spec.output_fields,
    )


SINGLE_PARTNER = single(PARTNERS)

MEMBERS = ResourceSpec(
    fields=(
        FieldSpec("id", "number", sortable=True, nullable=False),
        FieldSpec("name", "string", sortable=True, searchable=True, nullable=False),
        FieldSpec("email", "string", sortable=True, searchable=True, nullable=False),
        FieldSpec("status", "enum", enum=("active", "suspended"), nullable=False),
        FieldSpec("create_time", "datetime", sortable=True, nullable=False),
        FieldSpec("update_time", "datetime", sortable=True, nullable=False),
    ),
    default_search=("name", "email"),
    default_sort=(SortKey("id", False),),
    output_fields=frozenset(
        {"id", "company_id", "name", "email", "image", "status", "create_time", "update_time"}
    ),
)

# History and contact lists take only `page`.
PAGE_ONLY = ResourceSpec(
    fields=(FieldSpec("id", "number", filterable=False, sortable=True),),
    default_search=(),
    default_sort=(SortKey("id", True),),
    default_per_page=50,
    max_per_page=100,
    output_fields=frozenset({"id"}),
)

INTEGRATIONS = ResourceSpec(
    fields=(
        FieldSpec("id", "number", sortable=True, nullable=False),
        FieldSpec("name", "string", sortable=True, searchable=True, nullable=False),
        FieldSpec("type", "enum", enum=integration_rules.TYPES, nullable=False),
        FieldSpec("provider_id", "string", nullable=False),
        FieldSpec("status", "enum", sortable=True, enum=integration_rules.STATUSES, nullable=False),
        FieldSpec("effective_status", "enum", enum=integration_rules.STATUSES, nullable=False),
        FieldSpec("is_default", "flag", nullable=False),
        FieldSpec("create_time", "datetime", sortable=True, nullable=False),
        FieldSpec("update_time", "datetime", sortable=True, nullable=False),
    ),
    default_search=("name",),
    default_sort=(SortKey("id", False),),
    output_fields=frozenset(
        {
            "id",
            "company_id",
            "name",
            "type",
            "provider_id",
            "provider",
            "settings",
            "status",
            "effective_status",
            "is_default",
            "create_time",
            "update_time",
        }
    ),
)
SINGLE_INTEGRATION = single(INTEGRATIONS)
PROVIDERS = ResourceSpec(
    fields=(
        FieldSpec("id", "string", sortable=True, nullable=False),
        FieldSpec("name", "string", sortable=True, searchable=True, nullable=False),
        FieldSpec("type", "enum", sortable=True, enum=integration_rules.TYPES, nullable=False),
    ),
    default_search=("name",),
    default_sort=(SortKey("id", False),),
    output_fields=frozenset({"id", "type", "name", "logo", "settings"}),
)

DEALS = ResourceSpec(
    fields=(
        FieldSpec("id", "number", sortable=True, nullable=False),
        FieldSpec("name", "string", sortable=True, searchable=True, nullable=False),
        FieldSpec("description", "string", filterable=False, searchable=True),
        FieldSpec("partner_id", "number", nullable=False),
        FieldSpec("type", "enum", enum=deal_rules.TYPES),
        FieldSpec("structure", "enum", enum=deal_rules.STRUCTURES),
        FieldSpec("status", "enum", sortable=True, enum=deal_rules.STATUSES, nullable=False),
        FieldSpec("effective_status", "enum", enum=deal_rules.STATUSES, nullable=False),
        FieldSpec("archived", "flag", nullable=False),
        FieldSpec("create_time", "datetime", filterable=False, sortable=True),
        FieldSpec("update_time", "datetime", filterable=False, sortable=True),
    ),
    default_search=("name",),
    default_sort=(SortKey("id", False),),
    output_fields=frozenset(
        {"id", "company_id", "partner_id", *deal_rules.FIELDS, "create_time", "update_time"}
    ),
)
SINGLE_DEAL = single(DEALS)

CAMPAIGNS = ResourceSpec(
    fields=(
        FieldSpec("id", "number", sortable=True, nullable=False),
        FieldSpec("name", "string", sortable=True, searchable=True, nullable=False),
        FieldSpec("description", "string", filterable=False, searchable=True),
        FieldSpec("deal_id", "number", nullable=False),
        FieldSpec("status", "enum", sortable=True, enum=campaign_rules.STATUSES, nullable=False),
        FieldSpec(
            "effective_status",
            "enum",
            enum=(*campaign_rules.STATUSES, "inactive"),
            nullable=False,
        ),
        FieldSpec("next_run_time", "datetime", sortable=True, filterable=False),
        FieldSpec("run_counter", "number", sortable=True, filterable=False, nullable=False),
        FieldSpec("archived", "flag", nullable=False),
        FieldSpec("create_time", "datetime", sortable=True, nullable=False),
        FieldSpec("update_time", "datetime", sortable=True, nullable=False),
    ),
    default_search=("name",),
    default_sort=(SortKey("id", False),),
    default_per_page=10,
    output_fields=frozenset(
        {
            "id",
            "company_id",
            "deal_id",
            "name",
            "description",
            "labels",
            "messages",
            *campaign_object_fields.OBJECT_FIELDS,
            "status",
            "effective_status",
            "status_reason",
            "is_draft",
            "send_strategy",
            "send_in_profile_time_zone",
            "send_if_profile_time_passed",
            "scheduled_time",
            "next_run_time",
            "run_counter",
            "was_launched",
            "archived",
            "create_time",
            "update_time",
        }
    ),
)
SINGLE_CAMPAIGN = single(CAMPAIGNS)
