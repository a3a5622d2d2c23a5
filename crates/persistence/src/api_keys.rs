//! API keys for integrations: stored as a public prefix and a hash of the secret.

use crate::list::{self, Field, HasId, Kind, ListRequest, Spec};
use crate::schema::api_keys;
use crate::scope::Scope;
use crate::StoreError;
use chrono::{DateTime, Utc};
use diesel::{
    BoolExpressionMethods, ExpressionMethods, OptionalExtension, QueryDsl, Queryable,
    QueryableByName, Selectable, SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::auth::ApiKey;
use domain::list::Page;
use uuid::Uuid;

pub static SPEC: Spec = Spec {
    table: "api_keys",
    select: "id, user_id, name, prefix, scopes, created_at, expires_at, last_used_at, revoked_at",
    fields: &[
        Field::new("created_at", Kind::Timestamp).sortable(),
        Field::new("user_id", Kind::Uuid),
        Field::new("name", Kind::Text),
    ],
    default_sort: "-created_at",
    owner_column: Some("user_id"),
    soft_delete: false,
    search: None,
};

#[derive(Queryable, QueryableByName, Selectable)]
#[diesel(table_name = api_keys)]
pub struct KeyRow {
    id: Uuid,
    user_id: Uuid,
    name: String,
    prefix: String,
    scopes: Vec<String>,
    created_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    last_used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl From<KeyRow> for ApiKey {
    fn from(r: KeyRow) -> Self {
        ApiKey {
            id: r.id,
            name: r.name,
            prefix: r.prefix,
            user_id: r.user_id,
            scopes: r.scopes,
            created_at: r.created_at,
            expires_at: r.expires_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
        }
    }
}

impl HasId for ApiKey {
    fn id(&self) -> Uuid {
        self.id
    }
}

pub struct NewKey<'a> {
    pub name: &'a str,
    pub prefix: &'a str,
    pub secret_hash: &'a [u8],
    pub scopes: &'a [String],
    pub expires_at: Option<DateTime<Utc>>,
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    key: NewKey<'_>,
) -> Result<ApiKey, StoreError> {
    let row: KeyRow = diesel::insert_into(api_keys::table)
        .values((
            api_keys::id.eq(Uuid::now_v7()),
            api_keys::org_id.eq(scope.org_id),
            api_keys::user_id.eq(scope.user_id),
            api_keys::name.eq(key.name.trim()),
            api_keys::prefix.eq(key.prefix),
            api_keys::secret_hash.eq(key.secret_hash),
            api_keys::scopes.eq(key.scopes),
            api_keys::expires_at.eq(key.expires_at),
        ))
        .returning(KeyRow::as_returning())
        .get_result(conn)
        .await?;
    Ok(row.into())
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    req: &ListRequest,
) -> Result<Page<ApiKey>, StoreError> {
    list::fetch::<KeyRow, ApiKey>(conn, &SPEC, scope, req, None).await
}

/// Revokes a key the caller can see (their own; an admin any of the organization's).
pub async fn revoke(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
) -> Result<(), StoreError> {
    let mut q = api_keys::table
        .filter(api_keys::org_id.eq(scope.org_id))
        .filter(api_keys::id.eq(id))
        .into_boxed();
    if let Some(owners) = &scope.visible_owners {
        q = q.filter(api_keys::user_id.eq_any(owners.clone()));
    }
    let (key_id, revoked): (Uuid, Option<DateTime<Utc>>) = q
        .select((api_keys::id, api_keys::revoked_at))
        .first(conn)
        .await?;
    if revoked.is_none() {
        diesel::update(api_keys::table.find(key_id))
            .set(api_keys::revoked_at.eq(Utc::now()))
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// (id, user, secret hash, scopes, expires, last used).
type LiveKeyRow = (
    Uuid,
    Uuid,
    Vec<u8>,
    Vec<String>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

/// A key that is neither revoked nor expired, as found by its public prefix.
pub struct LiveKey {
    pub user_id: Uuid,
    pub secret_hash: Vec<u8>,
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A live key by its prefix. Marks it used at most once a minute.
pub async fn authenticate(
    conn: &mut AsyncPgConnection,
    prefix: &str,
) -> Result<Option<LiveKey>, StoreError> {
    let now = Utc::now();
    let row: Option<LiveKeyRow> = api_keys::table
        .filter(api_keys::prefix.eq(prefix))
        .filter(api_keys::revoked_at.is_null())
        .filter(
            api_keys::expires_at
                .is_null()
                .or(api_keys::expires_at.gt(now)),
        )
        .select((
            api_keys::id,
            api_keys::user_id,
            api_keys::secret_hash,
            api_keys::scopes,
            api_keys::expires_at,
            api_keys::last_used_at,
        ))
        .first(conn)
        .await
        .optional()?;
    let Some((id, user_id, secret_hash, scopes, expires_at, last_used)) = row else {
        return Ok(None);
    };
    if last_used.is_none_or(|t| now - t > chrono::Duration::minutes(1)) {
        diesel::update(api_keys::table.find(id))
            .set(api_keys::last_used_at.eq(now))
            .execute(conn)
            .await?;
    }
    Ok(Some(LiveKey {
        user_id,
        secret_hash,
        scopes,
        expires_at,
    }))
}
