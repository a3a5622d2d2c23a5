//! Sign-in and sign-up limits, counted in PostgreSQL ([`persistence::limits`]) so that every
//! node counts against the same limit.
//!
//! A sign-in counts three ways: the account from this address (`KEHU_LOGIN_PER_ACCOUNT`), the
//! address for any account (`KEHU_LOGIN_PER_ADDRESS`), and, only for attempts those two let
//! through, the account from anywhere (`KEHU_LOGIN_PER_ACCOUNT_TOTAL`, much higher). So wrong
//! passwords from one place stop that place, not the account's owner signing in from another;
//! only an attack from many addresses reaches the account-wide ceiling, and it only slows that
//! attack to the ceiling per window. A successful sign-in clears its account-and-address count.

use crate::error::ApiError;
use crate::settings::Settings;
use diesel_async::AsyncPgConnection;
use persistence::limits::{self, Limit};

fn pair_key(email: &str, address: &str) -> String {
    format!("signin:account+address:{email}\n{address}")
}

fn limited(outcome: Result<(), u64>) -> Result<(), ApiError> {
    outcome.map_err(|retry_after_secs| ApiError::RateLimited { retry_after_secs })
}

/// Counts a sign-in attempt for `email` (normalized) from `address`; 429 past a limit.
pub async fn signin(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    email: &str,
    address: &str,
) -> Result<(), ApiError> {
    let window = settings.login_window;
    let local = [
        Limit {
            key: pair_key(email, address),
            max: settings.login_per_account,
        },
        Limit {
            key: format!("signin:address:{address}"),
            max: settings.login_per_address,
        },
    ];
    limited(limits::hit(conn, &local, window).await?)?;
    let total = [Limit {
        key: format!("signin:account:{email}"),
        max: settings.login_per_account_total,
    }];
    limited(limits::hit(conn, &total, window).await?)
}

/// A correct password: the account's own mistakes from this address are forgiven.
pub async fn signin_succeeded(
    conn: &mut AsyncPgConnection,
    email: &str,
    address: &str,
) -> Result<(), ApiError> {
    Ok(limits::clear(conn, &pair_key(email, address)).await?)
}

/// Counts a sign-up from `address` (`KEHU_SIGNUP_PER_ADDRESS` per `KEHU_SIGNUP_WINDOW_SECS`).
pub async fn signup(
    conn: &mut AsyncPgConnection,
    settings: &Settings,
    address: &str,
) -> Result<(), ApiError> {
    let limit = [Limit {
        key: format!("signup:address:{address}"),
        max: settings.signup_per_address,
    }];
    limited(limits::hit(conn, &limit, settings.signup_window).await?)
}
