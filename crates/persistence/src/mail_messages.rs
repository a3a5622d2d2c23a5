//! The e-mail queue (migration 29): a notice is queued for its recipient by a trigger, in the
//! notice's own transaction; a worker claims due messages with a lease, sends them, and records
//! how it went — sent, retried later, or given up.

use crate::sql::{Bind, Sql};
use crate::StoreError;
use chrono::{DateTime, Duration, Utc};
use diesel::{sql_types, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::notification::{title, NotificationKind};
use domain::registry::Names;
use serde_json::Value;
use uuid::Uuid;

/// Attempts a message gets; after them, or a day after its notice, it is given up.
pub const MAX_ATTEMPTS: i32 = 5;

/// A message to send.
pub struct Outgoing {
    pub id: Uuid,
    pub attempts: i32,
    pub to_name: String,
    pub to_email: String,
    /// Whether the recipient's organization reads Chinese.
    pub zh: bool,
    pub title: Names,
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = sql_types::Integer)]
    attempts: i32,
    #[diesel(sql_type = sql_types::Text)]
    name: String,
    #[diesel(sql_type = sql_types::Text)]
    email: String,
    #[diesel(sql_type = sql_types::Text)]
    locale: String,
    #[diesel(sql_type = sql_types::Text)]
    kind: String,
    #[diesel(sql_type = sql_types::Jsonb)]
    params: Value,
}

/// Gives up what waited over a day (news that old is stale), then leases up to `limit` due
/// messages of active users for `lease`, skipping those another worker holds.
pub async fn claim(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> Result<Vec<Outgoing>, StoreError> {
    let mut stale = Sql::new(
        "UPDATE mail_messages SET state = 'failed', error = coalesce(error, 'not sent within a day') \
         WHERE state = 'pending' AND created_at < ",
    );
    stale.bind(Bind::Timestamp(now - Duration::days(1)));
    stale.execute(conn).await?;
    let mut sql = Sql::new(
        "WITH due AS (SELECT m.id FROM mail_messages m WHERE m.state = 'pending' AND m.next_at <= ",
    );
    sql.bind(Bind::Timestamp(now))
        .push(" ORDER BY m.next_at LIMIT ")
        .bind(Bind::BigInt(limit))
        .push(" FOR UPDATE SKIP LOCKED), leased AS (UPDATE mail_messages m SET next_at = ")
        .bind(Bind::Timestamp(now + lease))
        .push(
            ", attempts = m.attempts + 1 FROM due WHERE m.id = due.id \
             RETURNING m.id, m.attempts, m.user_id, m.notification_id) \
             SELECT l.id, l.attempts, u.name, u.email, o.locale, n.kind, n.params FROM leased l \
             JOIN users u ON u.id = l.user_id AND u.active \
             JOIN notifications n ON n.id = l.notification_id \
             JOIN organizations o ON o.id = u.org_id",
        );
    let rows: Vec<Row> = sql.load(conn).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let kind = NotificationKind::parse(&r.kind)?;
            Some(Outgoing {
                id: r.id,
                attempts: r.attempts,
                to_name: r.name,
                to_email: r.email,
                zh: r.locale != "en",
                title: title(kind, &r.params),
            })
        })
        .collect())
}

/// Records a send: sent, or failed with why — retried after a minute, five, thirty, two hours,
/// until [`MAX_ATTEMPTS`].
pub async fn record(
    conn: &mut AsyncPgConnection,
    message: &Outgoing,
    outcome: Result<(), String>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut sql = Sql::new("UPDATE mail_messages SET ");
    match outcome {
        Ok(()) => {
            sql.push("state = 'sent', error = NULL, sent_at = ")
                .bind(Bind::Timestamp(now));
        }
        Err(error) => {
            const WAIT_MINUTES: [i64; 4] = [1, 5, 30, 120];
            let step = usize::try_from(message.attempts.max(1) - 1).unwrap_or(0);
            match WAIT_MINUTES
                .get(step)
                .filter(|_| message.attempts < MAX_ATTEMPTS)
            {
                Some(m) => sql
                    .push("next_at = ")
                    .bind(Bind::Timestamp(now + Duration::minutes(*m))),
                None => sql.push("state = 'failed'"),
            }
            .push(", error = ")
            .bind(Bind::Text(error));
        }
    }
    sql.push(" WHERE id = ").bind(Bind::Uuid(message.id));
    sql.execute(conn).await?;
    Ok(())
}
