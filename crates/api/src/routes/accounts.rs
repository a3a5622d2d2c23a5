//! `/accounts`: the customer archive's companies, on the generic record routes.

use actix_web::{delete, get, patch, post};
use domain::account::{Account, AccountInput, AccountPatch};

crate::record_routes! {
    record: Account, input: AccountInput, patch: AccountPatch, tag: "accounts", module: "accounts",
    paths: ("/accounts", "/accounts/{id}", "/accounts/{id}/restore", "/accounts/{id}/history"),
    handlers: (list_accounts, create_account, get_account, update_account, delete_account, restore_account, account_history),
    list_doc: ("List accounts", "Filters: `name`, `credit_code`, `industry`, `employees`, `annual_revenue`, `currency`, `region`, `phone`, `website`, `source`, `class`, `owner_id`, `pool_id`, `recycle_at`, `tags`, `created_by`, `created_at`, `updated_at`, `deleted_at`, `last_activity_at`, `neglected` (`true`: no activity within the organization's `neglect_days`, see `/settings`), each as `field=value` or `field[op]=value` with op one of `eq, ne, gt, gte, lt, lte, in, contains`. Sortable: `name, employees, annual_revenue, recycle_at, created_at, updated_at, last_activity_at`. An account in a customer pool has no owner: only admins see it here, members through `/account-pools/{id}/accounts`. `deleted=true` lists the recycle bin. Names are checked for duplicates (409 with candidates; repeat with `force=true` to write anyway)."),
    create_doc: ("Create an account", "Answers 409 with the candidates when an account with the same credit code or normalized name exists (similar names are listed with them); repeat with `force=true` to create anyway."),
    update_doc: ("Update an account", "A partial update: absent fields stay, `null` clears. Requires `If-Match` with the version read. A changed name or credit code is checked for duplicates as on create."),
    force: [crate::routes::ForceParam],
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    record_services(cfg);
}
