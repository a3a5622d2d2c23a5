//! API tests: real HTTP against a real server on a private PostgreSQL database per test
//! (see crates/testkit). One binary, so the template database is built once per run.

mod accounts;
mod activities;
mod audit;
mod auth;
mod bad_input;
mod contacts;
mod credentials;
mod custom_fields;
mod custom_lists;
mod errors;
mod hashing;
mod health;
mod leads;
mod list_shape;
mod merge;
mod metadata;
mod openapi;
mod opportunities;
mod outbox;
mod paging;
mod picklists;
mod pinyin;
mod plans;
mod races;
mod schema;
mod search;
mod seed;
mod sessions;
mod signin_limits;
mod timeline;
mod timeouts;
mod transfer;
mod views;
mod visibility;
mod web;
