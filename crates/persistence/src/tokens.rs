//! Refresh tokens: stored hashed, single use, rotated within a family.

use crate::schema::refresh_tokens;
use crate::StoreError;
use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

pub async fn issue(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    user_id: Uuid,
    family_id: Uuid,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::id.eq(Uuid::now_v7()),
            refresh_tokens::org_id.eq(org_id),
            refresh_tokens::user_id.eq(user_id),
            refresh_tokens::family_id.eq(family_id),
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// What presenting a refresh token amounts to.
#[derive(Debug, PartialEq)]
pub enum Spend {
    /// Valid and now spent: issue the next token of this family.
    Fresh {
        org_id: Uuid,
        user_id: Uuid,
        family_id: Uuid,
    },
    /// Already spent: someone replayed it, so the whole family was revoked.
    Reused { org_id: Uuid },
    /// Unknown, expired or revoked.
    Invalid,
}

/// (id, org, user, family, expires, used, revoked).
type TokenRow = (
    Uuid,
    Uuid,
    Uuid,
    Uuid,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

/// Spends a token. Run in a transaction: the row lock makes two concurrent refreshes with one
/// token count as a reuse, not as two sessions.
pub async fn spend(conn: &mut AsyncPgConnection, token_hash: &[u8]) -> Result<Spend, StoreError> {
    let row: Option<TokenRow> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select((
            refresh_tokens::id,
            refresh_tokens::org_id,
            refresh_tokens::user_id,
            refresh_tokens::family_id,
            refresh_tokens::expires_at,
            refresh_tokens::used_at,
            refresh_tokens::revoked_at,
        ))
        .for_update()
        .first(conn)
        .await
        .optional()?;
    let Some((id, org_id, user_id, family_id, expires_at, used_at, revoked_at)) = row else {
        return Ok(Spend::Invalid);
    };
    let now = Utc::now();
    if revoked_at.is_some() || expires_at <= now {
        return Ok(Spend::Invalid);
    }
    if used_at.is_some() {
        revoke_family(conn, family_id).await?;
        return Ok(Spend::Reused { org_id });
    }
    diesel::update(refresh_tokens::table.find(id))
        .set(refresh_tokens::used_at.eq(now))
        .execute(conn)
        .await?;
    Ok(Spend::Fresh {
        org_id,
        user_id,
        family_id,
    })
}

pub async fn revoke_family(
    conn: &mut AsyncPgConnection,
    family_id: Uuid,
) -> Result<(), StoreError> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(Utc::now()))
    .execute(conn)
    .await?;
    Ok(())
}

/// Ends the session a token belongs to (logout); its organization, to forget cached callers.
/// Unknown tokens are ignored.
pub async fn revoke_by_token(
    conn: &mut AsyncPgConnection,
    token_hash: &[u8],
) -> Result<Option<Uuid>, StoreError> {
    let family: Option<(Uuid, Uuid)> = refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select((refresh_tokens::family_id, refresh_tokens::org_id))
        .first(conn)
        .await
        .optional()?;
    if let Some((f, _)) = family {
        revoke_family(conn, f).await?;
    }
    Ok(family.map(|(_, org)| org))
}

/// Whether the session (refresh-token family) an access token was issued in is still on: not
/// signed out, not ended by a reused refresh token, a password change or a deactivation. Every
/// way a session ends revokes all of its tokens at once, so one live token means a live session.
pub async fn session_live(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    family_id: Uuid,
) -> Result<bool, StoreError> {
    let live = diesel::select(diesel::dsl::exists(
        refresh_tokens::table
            .filter(refresh_tokens::family_id.eq(family_id))
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    ))
    .get_result(conn)
    .await?;
    Ok(live)
}

/// Ends every session of a user at `at` (a password change): their refresh tokens stop working,
/// and so do the access tokens issued in those sessions (see [`session_live`]).
pub async fn revoke_user(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::user_id.eq(user_id))
            .filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)
    .await?;
    Ok(())
}
