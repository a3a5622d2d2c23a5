//! Kehu's domain: entities, value objects, rules and the API's request/response types.
//! No I/O; compiles to wasm32 for the SPA.

/// The product name shown by clients.
pub const APP_NAME: &str = "Kehu";
