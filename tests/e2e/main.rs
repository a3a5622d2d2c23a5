//! Browser end-to-end tests: the real server on a private database (testkit) serves the built
//! app (frontend/dist), and headless Chromium, driven through chromedriver, uses it as a person
//! would. Each flow leaves screenshots under target/screenshots/. See `browser` for how a missing
//! browser is handled (`KEHU_NEED_BROWSER=1`, set by `make test`, makes it a failure).

mod activities;
mod admin;
mod app;
mod approvals;
mod browser;
mod chat_bots;
mod computed_fields;
mod custom_fields;
mod jobs;
mod leads;
mod notifications;
mod pipeline;
mod pools;
mod products;
mod record_form;
mod records;
mod regions;
mod security;
mod session;
mod settings;
mod totals;
mod views;
mod webhooks;
mod workflows;
