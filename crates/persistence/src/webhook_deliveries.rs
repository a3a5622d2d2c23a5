//! The webhook queue and its log. The outbox's trigger queues a delivery per event and endpoint
//! in the change's own transaction (migration 23); any `kehu` process then claims the due ones
//! with `FOR UPDATE SKIP LOCKED` and a lease, sends them, and records each attempt here. A record's
//! deliveries to an endpoint go one at a time in event order: one waits while an earlier one of
//! the same record is pending, retries included. The attempt number fences a sender whose lease
//! ran out (another took the delivery over): its late result is dropped.

use crate::list::{self, Field, HasId, Kind, ListRequest, Spec};
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::StoreError;
use chrono::{DateTime, Duration, Utc};
use diesel::{sql_types, QueryableByName};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use domain::list::Page;
use domain::webhook::{
    event_message, retry_after, DeliveryState, EventForMessage, WebhookAttempt, WebhookDelivery,
    WebhookDeliveryDetail,
};
use serde_json::Value;
use uuid::Uuid;

const COLUMNS: &str = "id, endpoint_id, message_id, event_type, entity_id, state, attempts, \
                       next_at, last_status, last_error, last_latency_ms, created_at, finished_at";

pub static SPEC: Spec = Spec {
    table: "webhook_deliveries",
    select: COLUMNS,
    fields: &[
        Field::new("state", Kind::Enum(&["pending", "delivered", "failed"])),
        Field::new("event_type", Kind::Text),
        Field::new("entity_id", Kind::Uuid).nullable(),
        Field::new("message_id", Kind::Uuid),
        Field::new("created_at", Kind::Timestamp).sortable(),
    ],
    default_sort: "-created_at",
    owner_column: None,
    soft_delete: false,
    search: None,
};

#[derive(QueryableByName)]
pub struct DeliveryRow {
    #[diesel(sql_type = sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = sql_types::Uuid)]
    endpoint_id: Uuid,
    #[diesel(sql_type = sql_types::Uuid)]
    message_id: Uuid,
    #[diesel(sql_type = sql_types::Text)]
    event_type: String,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Uuid>)]
    entity_id: Option<Uuid>,
    #[diesel(sql_type = sql_types::Text)]
    state: String,
    #[diesel(sql_type = sql_types::Integer)]
    attempts: i32,
    #[diesel(sql_type = sql_types::Timestamptz)]
    next_at: DateTime<Utc>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Integer>)]
    last_status: Option<i32>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    last_error: Option<String>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Integer>)]
    last_latency_ms: Option<i32>,
    #[diesel(sql_type = sql_types::Timestamptz)]
    created_at: DateTime<Utc>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Timestamptz>)]
    finished_at: Option<DateTime<Utc>>,
}

impl From<DeliveryRow> for WebhookDelivery {
    fn from(r: DeliveryRow) -> Self {
        // The column's check constraint allows only these.
        let state = DeliveryState::parse(&r.state).unwrap_or(DeliveryState::Failed);
        WebhookDelivery {
            id: r.id,
            endpoint_id: r.endpoint_id,
            message_id: r.message_id,
            event_type: r.event_type,
            entity_id: r.entity_id,
            state,
            attempts: r.attempts,
            next_at: (state == DeliveryState::Pending).then_some(r.next_at),
            last_status: r.last_status,
            last_error: r.last_error,
            last_latency_ms: r.last_latency_ms,
            created_at: r.created_at,
            finished_at: r.finished_at,
        }
    }
}

impl HasId for WebhookDelivery {
    fn id(&self) -> Uuid {
        self.id
    }
}

fn of_endpoint(endpoint_id: Uuid) -> Sql {
    let mut sql = Sql::new(" AND endpoint_id = ");
    sql.bind(Bind::Uuid(endpoint_id));
    sql
}

/// The endpoint's delivery log, newest first (`state=failed`, `event_type=…`, `entity_id=…`).
pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    endpoint_id: Uuid,
    req: &ListRequest,
) -> Result<Page<WebhookDelivery>, StoreError> {
    crate::webhooks::get(conn, scope, endpoint_id).await?;
    list::fetch::<DeliveryRow, WebhookDelivery>(
        conn,
        &SPEC,
        scope,
        req,
        Some(of_endpoint(endpoint_id)),
    )
    .await
}

async fn one(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    endpoint_id: Uuid,
    id: Uuid,
) -> Result<WebhookDelivery, StoreError> {
    let mut sql = Sql::new(&format!(
        "SELECT {COLUMNS} FROM webhook_deliveries WHERE org_id = "
    ));
    sql.bind(Bind::Uuid(scope.org_id))
        .append(of_endpoint(endpoint_id))
        .push(" AND id = ")
        .bind(Bind::Uuid(id));
    let row: DeliveryRow = sql.get_result(conn).await?;
    Ok(row.into())
}

#[derive(QueryableByName)]
struct AttemptRow {
    #[diesel(sql_type = sql_types::Integer)]
    attempt: i32,
    #[diesel(sql_type = sql_types::Timestamptz)]
    at: DateTime<Utc>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Integer>)]
    status: Option<i32>,
    #[diesel(sql_type = sql_types::Integer)]
    latency_ms: i32,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    error: Option<String>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    response: Option<String>,
}

/// A delivery with its message and each attempt.
pub async fn detail(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    endpoint_id: Uuid,
    id: Uuid,
) -> Result<WebhookDeliveryDetail, StoreError> {
    let delivery = one(conn, scope, endpoint_id, id).await?;
    let mut sql = Sql::new(
        "SELECT attempt, at, status, latency_ms, error, response FROM webhook_attempts \
         WHERE delivery_id = ",
    );
    sql.bind(Bind::Uuid(id)).push(" ORDER BY attempt");
    let attempts: Vec<AttemptRow> = sql.load(conn).await?;
    let payload = body(conn, id).await?;
    Ok(WebhookDeliveryDetail {
        delivery,
        payload,
        attempts_log: attempts
            .into_iter()
            .map(|a| WebhookAttempt {
                attempt: a.attempt,
                at: a.at,
                status: a.status,
                latency_ms: a.latency_ms,
                error: a.error,
                response: a.response,
            })
            .collect(),
    })
}

/// The message of each delivery: a test's own payload, or made of its outbox event.
#[derive(QueryableByName)]
struct Message {
    #[diesel(sql_type = sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Jsonb>)]
    payload: Option<Value>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    entity: Option<String>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Uuid>)]
    entity_id: Option<Uuid>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    action: Option<String>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Uuid>)]
    actor_id: Option<Uuid>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Timestamptz>)]
    at: Option<DateTime<Utc>>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Jsonb>)]
    changes: Option<Value>,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Jsonb>)]
    record: Option<Value>,
}

impl Message {
    fn body(self) -> Value {
        if let Some(payload) = self.payload {
            return payload;
        }
        event_message(&EventForMessage {
            entity: self.entity.unwrap_or_default(),
            entity_id: self.entity_id.unwrap_or_default(),
            action: self.action.unwrap_or_default(),
            actor_id: self.actor_id,
            at: self.at.unwrap_or_default(),
            changes: self.changes.unwrap_or_default(),
            record: self.record,
        })
    }
}

const MESSAGE: &str = "SELECT d.id, d.payload, e.entity, e.entity_id, e.action, e.actor_id, \
                       e.at, e.changes, e.record FROM webhook_deliveries d \
                       LEFT JOIN events e ON e.seq = d.event_seq WHERE d.id = ANY(";

async fn body(conn: &mut AsyncPgConnection, id: Uuid) -> Result<Value, StoreError> {
    let mut sql = Sql::new(MESSAGE);
    sql.bind(Bind::UuidArray(vec![id])).push(")");
    let message: Message = sql.get_result(conn).await?;
    Ok(message.body())
}

/// Queues a test message to the endpoint (even a disabled one: checking it is why one tests).
pub async fn queue_test(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    endpoint_id: Uuid,
    now: DateTime<Utc>,
) -> Result<WebhookDelivery, StoreError> {
    crate::webhooks::get(conn, scope, endpoint_id).await?;
    let message = Outbound {
        event_type: domain::webhook::TEST_EVENT,
        entity_id: None,
        data: serde_json::json!({"endpoint_id": endpoint_id}),
    };
    queue(conn, scope, endpoint_id, &message, now).await
}

/// A message Kehu sends to one endpoint besides record events: a test, a workflow rule's call.
pub struct Outbound<'a> {
    pub event_type: &'a str,
    pub entity_id: Option<Uuid>,
    /// Its `data` (the message id is added).
    pub data: serde_json::Value,
}

/// Queues `message` to the endpoint, sent, signed and retried like any delivery.
pub async fn queue(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    endpoint_id: Uuid,
    message: &Outbound<'_>,
    now: DateTime<Utc>,
) -> Result<WebhookDelivery, StoreError> {
    let message_id = Uuid::now_v7();
    let mut data = message.data.clone();
    data["message_id"] = serde_json::json!(message_id);
    let payload = serde_json::json!({
        "type": message.event_type,
        "timestamp": now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "data": data,
    });
    let mut sql = Sql::new(
        "INSERT INTO webhook_deliveries (id, org_id, endpoint_id, message_id, event_type, \
         entity_id, payload, state, next_at, created_at) VALUES (",
    );
    sql.bind(Bind::Uuid(Uuid::now_v7()))
        .push(", ")
        .bind(Bind::Uuid(scope.org_id))
        .push(", ")
        .bind(Bind::Uuid(endpoint_id))
        .push(", ")
        .bind(Bind::Uuid(message_id))
        .push(", ")
        .bind(Bind::Text(message.event_type.into()))
        .push(", ")
        .bind_opt(message.entity_id.map(Bind::Uuid))
        .push("::uuid, ")
        .bind(Bind::Text(payload.to_string()))
        .push("::jsonb, 'pending', ")
        .bind(Bind::Timestamp(now))
        .push(", ")
        .bind(Bind::Timestamp(now))
        .push(&format!(") RETURNING {COLUMNS}"));
    let row: DeliveryRow = sql.get_result(conn).await?;
    Ok(row.into())
}

/// Queues a delivered or failed message again, as a new delivery with the same `webhook-id`
/// (a pending one is already on its way: 409).
pub async fn redeliver(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    endpoint_id: Uuid,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<WebhookDelivery, StoreError> {
    let delivery = one(conn, scope, endpoint_id, id).await?;
    if delivery.state == DeliveryState::Pending {
        return Err(StoreError::Conflict(
            "the delivery is still pending: it is sent when due".into(),
        ));
    }
    let mut sql = Sql::new(
        "INSERT INTO webhook_deliveries (id, org_id, endpoint_id, message_id, event_type, \
         event_seq, entity_id, payload, state, next_at, created_at) SELECT ",
    );
    sql.bind(Bind::Uuid(Uuid::now_v7()))
        .push(", org_id, endpoint_id, message_id, event_type, event_seq, entity_id, payload, 'pending', ")
        .bind(Bind::Timestamp(now))
        .push(", ")
        .bind(Bind::Timestamp(now))
        .push(" FROM webhook_deliveries WHERE id = ")
        .bind(Bind::Uuid(id))
        .push(&format!(" RETURNING {COLUMNS}"));
    let row: DeliveryRow = sql.get_result(conn).await?;
    Ok(row.into())
}

/// A delivery claimed for one attempt, with what the sender needs.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub delivery_id: Uuid,
    pub org_id: Uuid,
    pub endpoint_id: Uuid,
    /// This attempt's number: what fences its result.
    pub attempt: i32,
    pub url: String,
    /// The endpoint's secret, then the previous one while it still signs.
    pub secrets: Vec<String>,
    pub message_id: Uuid,
    pub event_type: String,
    pub body: Value,
}

#[derive(QueryableByName)]
struct Claimed {
    #[diesel(sql_type = sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = sql_types::Uuid)]
    org_id: Uuid,
    #[diesel(sql_type = sql_types::Uuid)]
    endpoint_id: Uuid,
    #[diesel(sql_type = sql_types::Integer)]
    attempts: i32,
    #[diesel(sql_type = sql_types::Uuid)]
    message_id: Uuid,
    #[diesel(sql_type = sql_types::Text)]
    event_type: String,
    #[diesel(sql_type = sql_types::Text)]
    url: String,
    #[diesel(sql_type = sql_types::Text)]
    secret: String,
    #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
    previous: Option<String>,
}

/// Claims up to `limit` due deliveries until `now + lease`, each the first pending one of its
/// record to its endpoint, of enabled endpoints only. Empty when nothing is due.
pub async fn claim(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> Result<Vec<Outgoing>, StoreError> {
    let mut sql = Sql::new(
        "WITH due AS (SELECT d.id FROM webhook_deliveries d \
         JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.enabled \
         WHERE d.state = 'pending' AND d.next_at <= ",
    );
    sql.bind(Bind::Timestamp(now))
        .push(" AND (d.leased_until IS NULL OR d.leased_until < ")
        .bind(Bind::Timestamp(now))
        .push(
            ") AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p \
             WHERE p.endpoint_id = d.endpoint_id AND p.entity_id = d.entity_id \
             AND p.state = 'pending' AND (p.event_seq, p.id) < (d.event_seq, d.id)) \
             ORDER BY d.next_at, d.id LIMIT ",
        )
        .bind(Bind::BigInt(limit))
        .push(
            " FOR UPDATE OF d SKIP LOCKED) \
             UPDATE webhook_deliveries d SET attempts = d.attempts + 1, leased_until = ",
        )
        .bind(Bind::Timestamp(now + lease))
        .push(
            " FROM due, webhook_endpoints w WHERE d.id = due.id AND w.id = d.endpoint_id \
             RETURNING d.id, d.org_id, d.endpoint_id, d.attempts, d.message_id, d.event_type, \
             w.url, w.secret, CASE WHEN w.previous_expires_at > ",
        )
        .bind(Bind::Timestamp(now))
        .push(" THEN w.previous_secret END AS previous");
    let claimed: Vec<Claimed> = sql.load(conn).await?;
    if claimed.is_empty() {
        return Ok(Vec::new());
    }
    let mut messages = Sql::new(MESSAGE);
    messages
        .bind(Bind::UuidArray(claimed.iter().map(|c| c.id).collect()))
        .push(")");
    let mut bodies: std::collections::HashMap<Uuid, Value> = messages
        .load::<Message>(conn)
        .await?
        .into_iter()
        .map(|m| (m.id, m.body()))
        .collect();
    Ok(claimed
        .into_iter()
        .map(|c| Outgoing {
            body: bodies.remove(&c.id).unwrap_or_default(),
            delivery_id: c.id,
            org_id: c.org_id,
            endpoint_id: c.endpoint_id,
            attempt: c.attempts,
            url: c.url,
            secrets: std::iter::once(c.secret).chain(c.previous).collect(),
            message_id: c.message_id,
            event_type: c.event_type,
        })
        .collect())
}

/// What one attempt got back.
#[derive(Debug, Clone)]
pub struct Sent {
    /// The receiver's HTTP status, if it answered.
    pub status: Option<i32>,
    pub latency_ms: i32,
    pub error: Option<String>,
    pub response: Option<String>,
}

impl Sent {
    pub fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// Where a delivery went after an attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum Recorded {
    Delivered,
    /// Tried again at this time.
    Retry(DateTime<Utc>),
    /// Its last attempt failed: the endpoint is turned off.
    Failed,
    /// Another sender took the delivery over; this result is dropped.
    Lost,
}

/// Records an attempt and moves the delivery on: delivered, due again after the retry schedule,
/// or failed (its endpoint turned off, with the reason, until an admin turns it on again).
pub async fn record(
    conn: &mut AsyncPgConnection,
    out: &Outgoing,
    now: DateTime<Utc>,
    sent: &Sent,
) -> Result<Recorded, StoreError> {
    let outcome = if sent.succeeded() {
        Recorded::Delivered
    } else {
        retry_after(out.attempt).map_or(Recorded::Failed, |d| Recorded::Retry(now + d))
    };
    let (state, next_at) = match &outcome {
        Recorded::Retry(at) => ("pending", *at),
        Recorded::Delivered => ("delivered", now),
        _ => ("failed", now),
    };
    let error = sent.error.clone().or_else(|| {
        (!sent.succeeded()).then(|| format!("answered {}", sent.status.unwrap_or_default()))
    });
    conn.transaction::<_, StoreError, _>(async |c| {
        let mut sql = Sql::new("UPDATE webhook_deliveries SET state = ");
        sql.bind(Bind::Text(state.into()))
            .push(", next_at = ")
            .bind(Bind::Timestamp(next_at))
            .push(", leased_until = NULL, last_status = ");
        sql.bind_opt(sent.status.map(Bind::Int));
        sql.push(", last_error = ");
        sql.bind_opt(error.clone().map(Bind::Text));
        sql.push(", last_latency_ms = ")
            .bind(Bind::Int(sent.latency_ms))
            .push(", finished_at = ");
        sql.bind_opt((state != "pending").then_some(Bind::Timestamp(now)));
        sql.push(" WHERE id = ")
            .bind(Bind::Uuid(out.delivery_id))
            .push(" AND attempts = ")
            .bind(Bind::Int(out.attempt))
            .push(" AND state = 'pending'");
        if sql.execute(c).await? == 0 {
            return Ok(Recorded::Lost);
        }
        let mut log = Sql::new(
            "INSERT INTO webhook_attempts (delivery_id, attempt, at, status, latency_ms, error, \
             response) VALUES (",
        );
        log.bind(Bind::Uuid(out.delivery_id))
            .push(", ")
            .bind(Bind::Int(out.attempt))
            .push(", ")
            .bind(Bind::Timestamp(now))
            .push(", ");
        log.bind_opt(sent.status.map(Bind::Int));
        log.push(", ").bind(Bind::Int(sent.latency_ms)).push(", ");
        log.bind_opt(error.clone().map(Bind::Text));
        log.push(", ");
        log.bind_opt(sent.response.clone().map(Bind::Text));
        log.push(")");
        log.execute(c).await?;
        if outcome == Recorded::Failed {
            let mut off = Sql::new(
                "UPDATE webhook_endpoints SET enabled = false, version = version + 1, updated_at = ",
            );
            off.bind(Bind::Timestamp(now))
                .push(", disabled_reason = ")
                .bind(Bind::Text(format!(
                    "a delivery failed all {} attempts (last: {})",
                    domain::webhook::MAX_ATTEMPTS,
                    error.clone().unwrap_or_default()
                )))
                .push(" WHERE id = ")
                .bind(Bind::Uuid(out.endpoint_id))
                .push(" AND enabled RETURNING created_by AS id");
            #[derive(QueryableByName)]
            struct Owner {
                #[diesel(sql_type = sql_types::Nullable<sql_types::Uuid>)]
                id: Option<Uuid>,
            }
            let owners: Vec<Owner> = off.load(c).await?;
            // Whoever added it hears that it is off (once per time it is turned off).
            if let Some(owner) = owners.into_iter().find_map(|o| o.id) {
                let news = crate::notifications::New {
                    org_id: out.org_id,
                    user_id: owner,
                    kind: domain::notification::NotificationKind::WebhookDisabled,
                    entity: Some("webhook"),
                    entity_id: Some(out.endpoint_id),
                    params: serde_json::json!({"url": redacted_host(&out.url), "error": error}),
                    dedupe_key: format!("webhook_disabled:{}:{}", out.endpoint_id, out.delivery_id),
                    by: None,
                };
                crate::notifications::notify(c, &news, now).await?;
            }
        }
        Ok(outcome.clone())
    })
    .await
}

/// The endpoint's host, for a notice (its path or query may hold a token).
fn redacted_host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let scheme = &url[..url.len() - rest.len()];
    format!("{scheme}{host}/…")
}

/// When the next delivery falls due (a retry, a lease's end), for an idle sender to sleep until.
pub async fn next_due(conn: &mut AsyncPgConnection) -> Result<Option<DateTime<Utc>>, StoreError> {
    #[derive(QueryableByName)]
    struct Next {
        #[diesel(sql_type = sql_types::Nullable<sql_types::Timestamptz>)]
        at: Option<DateTime<Utc>>,
    }
    let next: Next = Sql::new(
        "SELECT min(greatest(d.next_at, d.leased_until)) AS at FROM webhook_deliveries d \
         JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.enabled WHERE d.state = 'pending'",
    )
    .get_result(conn)
    .await?;
    Ok(next.at)
}
