//! The demo organization `make run` loads into an empty database: about thirty people in the
//! default departments, 900 accounts with their contacts, leads in every status, deals in every
//! stage with their stage history, months of activity. It is the `demo` scale of the one data
//! generator (crates/datagen), which also makes the benchmark datasets. Deterministic: the same
//! data for the same day.

use crate::auth::hash_password;
use crate::error::ApiError;
use diesel_async::AsyncPgConnection;
use persistence::organizations;

pub use datagen::load::DEMO_EMAIL;
pub const DEMO_PASSWORD: &str = "kehu-demo-2026";

/// Loads the demo organization unless any organization exists. Returns whether it loaded.
pub async fn demo_if_empty(
    conn: &mut AsyncPgConnection,
    database_url: &str,
) -> Result<bool, ApiError> {
    if organizations::any(conn).await? {
        return Ok(false);
    }
    let opts = datagen::Options::new(datagen::Scale::Demo, datagen::DEFAULT_SEED);
    load(database_url, &opts).await?;
    Ok(true)
}

/// Generates `opts` into an empty database; every generated user's password is [`DEMO_PASSWORD`].
pub async fn load(
    database_url: &str,
    opts: &datagen::Options,
) -> Result<datagen::Report, ApiError> {
    let hash = hash_password(DEMO_PASSWORD)?;
    datagen::load(database_url, opts, &hash)
        .await
        .map_err(|e| ApiError::Internal(format!("seed: {e}")))
}
