"""The campaign forms: making and scheduling a campaign (campaigns), the dashboards'
filters (filters)."""
