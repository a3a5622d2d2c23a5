//! Kehu's persistence: the Diesel schema, migrations, pool, and repositories. Every function that
//! touches business rows takes the caller's [`Scope`], so tenancy and visibility live here.

pub mod accounts;
pub mod activities;
pub mod api_keys;
pub mod audit;
pub mod columns;
pub mod contacts;
pub mod custom_columns;
pub mod custom_field_writes;
pub mod custom_fields;
pub mod custom_values;
pub mod db;
pub mod departments;
pub mod error;
pub mod forecast;
pub mod idempotency;
pub mod leads;
pub mod limits;
pub mod list;
pub mod locks;
pub mod merge;
pub mod opportunities;
pub mod organizations;
pub mod picklists;
pub mod pipelines;
pub mod plans;
pub mod products;
pub mod records;
pub mod references;
pub mod regions;
pub mod reindex;
pub mod rollups;
pub mod schema;
pub mod scope;
pub mod search;
pub mod sql;
pub mod stores;
pub mod timeline;
pub mod tokens;
pub mod transfer;
pub mod users;
pub mod views;

pub use diesel_async::AsyncPgConnection;
pub use error::StoreError;
pub use scope::Scope;
