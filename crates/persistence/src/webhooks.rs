//! An organization's webhook endpoints: what they subscribe to and the secrets that sign what
//! is sent to them (`webhook_deliveries` holds the queue and the log). Secrets are stored as they
//! are, since signing needs them; no read here returns one except to the sender.

use crate::list::{self, Field, HasId, Kind, ListRequest, Spec};
use crate::schema::webhook_endpoints;
use crate::scope::Scope;
use crate::StoreError;
use chrono::{DateTime, Utc};
use diesel::{
    ExpressionMethods, NullableExpressionMethods, OptionalExtension, QueryDsl, Queryable,
    QueryableByName, Selectable, SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::list::Page;
use domain::webhook::{WebhookEndpoint, WebhookPatch};
use uuid::Uuid;

pub static SPEC: Spec = Spec {
    table: "webhook_endpoints",
    select: "id, url, description, event_types, enabled, disabled_reason, previous_expires_at, \
             version, created_by, created_at, updated_at",
    fields: &[
        Field::new("enabled", Kind::Bool),
        Field::new("created_at", Kind::Timestamp).sortable(),
        Field::new("updated_at", Kind::Timestamp).sortable(),
    ],
    default_sort: "created_at",
    owner_column: None,
    soft_delete: false,
    search: None,
};

#[derive(Queryable, QueryableByName, Selectable)]
#[diesel(table_name = webhook_endpoints)]
pub struct EndpointRow {
    id: Uuid,
    url: String,
    description: String,
    event_types: Vec<String>,
    enabled: bool,
    disabled_reason: Option<String>,
    previous_expires_at: Option<DateTime<Utc>>,
    version: i32,
    created_by: Option<Uuid>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<EndpointRow> for WebhookEndpoint {
    fn from(r: EndpointRow) -> Self {
        WebhookEndpoint {
            id: r.id,
            url: r.url,
            description: r.description,
            event_types: r.event_types,
            enabled: r.enabled,
            disabled_reason: r.disabled_reason,
            previous_secret_expires_at: r.previous_expires_at,
            version: r.version,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl HasId for WebhookEndpoint {
    fn id(&self) -> Uuid {
        self.id
    }
}

/// A checked endpoint to add.
pub struct NewEndpoint<'a> {
    pub url: &'a str,
    pub description: &'a str,
    pub event_types: &'a [String],
    pub enabled: bool,
    pub secret: &'a str,
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    new: &NewEndpoint<'_>,
    now: DateTime<Utc>,
) -> Result<WebhookEndpoint, StoreError> {
    let row: EndpointRow = diesel::insert_into(webhook_endpoints::table)
        .values((
            webhook_endpoints::id.eq(Uuid::now_v7()),
            webhook_endpoints::org_id.eq(scope.org_id),
            webhook_endpoints::url.eq(new.url),
            webhook_endpoints::description.eq(new.description),
            webhook_endpoints::event_types.eq(new.event_types),
            webhook_endpoints::secret.eq(new.secret),
            webhook_endpoints::enabled.eq(new.enabled),
            webhook_endpoints::created_by.eq(scope.user_id),
            webhook_endpoints::created_at.eq(now),
            webhook_endpoints::updated_at.eq(now),
        ))
        .returning(EndpointRow::as_returning())
        .get_result(conn)
        .await?;
    Ok(row.into())
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    req: &ListRequest,
) -> Result<Page<WebhookEndpoint>, StoreError> {
    list::fetch::<EndpointRow, WebhookEndpoint>(conn, &SPEC, scope, req, None).await
}

/// One of the organization's endpoints (another organization's is not found).
pub async fn get(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
) -> Result<WebhookEndpoint, StoreError> {
    let row: EndpointRow = webhook_endpoints::table
        .filter(webhook_endpoints::org_id.eq(scope.org_id))
        .filter(webhook_endpoints::id.eq(id))
        .select(EndpointRow::as_select())
        .first(conn)
        .await?;
    Ok(row.into())
}

/// Applies a checked patch if the endpoint is still at `expected` (any version without one).
pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
    patch: &WebhookPatch,
    now: DateTime<Utc>,
) -> Result<WebhookEndpoint, StoreError> {
    let current = get(conn, scope, id).await?;
    StoreError::check_version(current.version, expected)?;
    let enabled = patch.enabled.unwrap_or(current.enabled);
    let row: Option<EndpointRow> = diesel::update(
        webhook_endpoints::table
            .filter(webhook_endpoints::org_id.eq(scope.org_id))
            .filter(webhook_endpoints::id.eq(id))
            .filter(webhook_endpoints::version.eq(current.version)),
    )
    .set((
        webhook_endpoints::url.eq(patch.url.as_ref().unwrap_or(&current.url)),
        webhook_endpoints::description
            .eq(patch.description.as_ref().unwrap_or(&current.description)),
        webhook_endpoints::event_types
            .eq(patch.event_types.as_ref().unwrap_or(&current.event_types)),
        webhook_endpoints::enabled.eq(enabled),
        // Kehu's reason for turning it off holds only while it is off.
        webhook_endpoints::disabled_reason.eq(current.disabled_reason.filter(|_| !enabled)),
        webhook_endpoints::version.eq(current.version + 1),
        webhook_endpoints::updated_at.eq(now),
    ))
    .returning(EndpointRow::as_returning())
    .get_result(conn)
    .await
    .optional()?;
    match row {
        Some(row) => Ok(row.into()),
        // A concurrent change won: the caller's version is stale now.
        None => {
            let now_at = get(conn, scope, id).await?;
            Err(StoreError::StaleVersion {
                expected: expected.unwrap_or(current.version),
                current: now_at.version,
            })
        }
    }
}

/// Removes the endpoint, its queue and its log.
pub async fn delete(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
) -> Result<(), StoreError> {
    let n = diesel::delete(
        webhook_endpoints::table
            .filter(webhook_endpoints::org_id.eq(scope.org_id))
            .filter(webhook_endpoints::id.eq(id)),
    )
    .execute(conn)
    .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// Makes `secret` the endpoint's secret; the one it replaces keeps signing until `until`.
pub async fn rotate(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    secret: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<WebhookEndpoint, StoreError> {
    let row: EndpointRow = diesel::update(
        webhook_endpoints::table
            .filter(webhook_endpoints::org_id.eq(scope.org_id))
            .filter(webhook_endpoints::id.eq(id)),
    )
    .set((
        webhook_endpoints::previous_secret.eq(webhook_endpoints::secret.nullable()),
        webhook_endpoints::previous_expires_at.eq(until),
        webhook_endpoints::secret.eq(secret),
        webhook_endpoints::version.eq(webhook_endpoints::version + 1),
        webhook_endpoints::updated_at.eq(now),
    ))
    .returning(EndpointRow::as_returning())
    .get_result(conn)
    .await?;
    Ok(row.into())
}
