//! Kehu's browser app: a Leptos single-page app over the public `/api/v1`.
//!
//! - [`api`]: the one API client (auth header, silent refresh, problem details → `ApiError`)
//! - [`i18n`]: every label in zh-CN and English, and locale formatting
//! - [`list`]: the one list-page mechanism (URL-held query, cursor paging)
//! - [`form`]: the one form-error mechanism (422 field errors next to their fields)
//! - [`custom`]: the organization's custom fields on forms, record pages and lists
//! - [`record`]: the generic record form and record page, from the registry's field descriptions
//! - [`workflow`]: what workflow rules and approvals share on admin, record and approval pages
//! - [`components`]: shared pieces; [`pages`]: one module per page

pub mod api;
pub mod app;
pub mod components;
pub mod custom;
pub mod form;
pub mod i18n;
pub mod list;
pub mod notices;
pub mod pages;
pub mod record;
pub mod registry;
pub mod routes;
pub mod session;
pub mod workflow;

use wasm_bindgen::prelude::wasm_bindgen;

/// Entry point, run by the generated JS module's `init()`.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
