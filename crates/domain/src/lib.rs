//! Kehu's domain: entities, value objects, rules and the API's request/response types.
//! No I/O; compiles to wasm32 for the SPA (the `openapi` feature adds schema derives for the server).

pub mod account;
pub mod activity;
pub mod approval;
pub mod audit;
pub mod auth;
pub mod chat;
pub mod contact;
pub mod credit_code;
pub mod cron;
pub mod custom;
pub mod fields;
pub mod job;
pub mod lead;
pub mod list;
pub mod mention;
pub mod merge;
pub mod metadata;
pub mod money;
pub mod normalize;
pub mod notification;
pub mod opportunity;
pub mod patch;
pub mod picklist;
pub mod pinyin;
pub mod pipeline;
pub mod pool;
pub mod problem;
pub mod product;
pub mod region;
pub mod registry;
pub mod role;
pub mod search;
pub mod timeline;
pub mod transfer;
pub mod views;
pub mod webhook;
pub mod workflow;

/// The product name shown by clients.
pub const APP_NAME: &str = "Kehu";
