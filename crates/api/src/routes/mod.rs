//! One module per resource. Each handler carries `#[utoipa::path]`, so the OpenAPI document
//! is collected from the same `service(...)` calls that route requests.

pub mod accounts;
pub mod activities;
pub mod api_keys;
pub mod approvals;
pub mod auth;
pub mod chat_bots;
pub mod contacts;
pub mod custom_fields;
pub mod departments;
pub mod docs;
pub mod health;
pub mod jobs;
pub mod leads;
pub mod merge;
pub mod metadata;
pub mod notifications;
pub mod opportunities;
pub mod picklists;
pub mod pipelines;
pub mod pools;
pub mod products;
pub mod regions;
pub mod search;
pub mod settings;
pub mod timeline;
pub mod users;
pub mod views;
pub mod webhooks;
pub mod workflows;

use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

/// Everything under `/api/v1`.
pub fn api(cfg: &mut ServiceConfig) {
    auth::routes(cfg);
    users::routes(cfg);
    departments::routes(cfg);
    api_keys::routes(cfg);
    accounts::routes(cfg);
    pools::routes(cfg);
    contacts::routes(cfg);
    leads::routes(cfg);
    merge::routes(cfg);
    pipelines::routes(cfg);
    opportunities::routes(cfg);
    picklists::routes(cfg);
    regions::routes(cfg);
    activities::routes(cfg);
    settings::routes(cfg);
    timeline::routes(cfg);
    search::routes(cfg);
    metadata::routes(cfg);
    views::routes(cfg);
    custom_fields::routes(cfg);
    products::routes(cfg);
    jobs::routes(cfg);
    webhooks::routes(cfg);
    notifications::routes(cfg);
    chat_bots::routes(cfg);
    workflows::routes(cfg);
    approvals::routes(cfg);
}

/// The list parameters every collection accepts (documentation; the list parser reads the raw query).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListParams {
    /// Page size, 1–200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Comma-separated sortable fields, `-` for descending, e.g. `-updated_at,name`.
    sort: Option<String>,
    /// Quick search (Chinese substrings, Latin text, phone digits; Chinese names also by their pinyin
    /// and initials: `zhangwei`, `zw`).
    q: Option<String>,
    /// `true` adds `total` to the response.
    count: Option<bool>,
}

/// What a record list returns besides its rows (documentation; the list parser reads them).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct RecordListParams {
    /// Comma-separated fields to return of each record (with its `id` and `version`), custom
    /// ones as `custom.<key>`, e.g. `name,owner_id,custom.budget`; all fields without it.
    fields: Option<String>,
    /// Comma-separated number or money fields to sum over every matching record (not only the
    /// page), e.g. `annual_revenue,custom.budget`: `totals` in the response, one sum per
    /// currency for money.
    totals: Option<String>,
}

/// `?force=true`: create or save even though duplicates exist.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ForceParam {
    force: Option<bool>,
}

/// `?dry_run=true`: preview the change; nothing is written.
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct DryRunParam {
    dry_run: Option<bool>,
}

/// `{"data": [...]}` for small collections returned whole.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Items<T> {
    pub data: Vec<T>,
}
