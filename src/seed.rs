//! The demo organization `make run` loads into an empty database: about thirty people in the
//! default departments, 900 accounts with their contacts, leads in every status, deals in every
//! stage with their stage history, months of activity. It is the `demo` scale of the one data
//! generator (crates/datagen), which also makes the benchmark datasets. Deterministic: the same
//! data for the same day. Here, in the binary, so the server library does not link the generator.

use persistence::{organizations, AsyncPgConnection};

/// Loads the demo organization unless any organization exists. Returns whether it loaded.
pub async fn demo_if_empty(
    conn: &mut AsyncPgConnection,
    database_url: &str,
) -> Result<bool, String> {
    if organizations::any(conn).await.map_err(|e| e.to_string())? {
        return Ok(false);
    }
    let opts = datagen::Options::new(datagen::Scale::Demo, datagen::DEFAULT_SEED);
    load(database_url, &opts).await?;
    Ok(true)
}

/// Generates `opts` into an empty database; every generated user's password is
/// [`datagen::DEMO_PASSWORD`], hashed as the API hashes passwords.
pub async fn load(database_url: &str, opts: &datagen::Options) -> Result<datagen::Report, String> {
    let hash = api::auth::hash_password(datagen::DEMO_PASSWORD).map_err(|e| e.to_string())?;
    datagen::load(database_url, opts, &hash)
        .await
        .map_err(|e| format!("seed: {e}"))
}
