//! Webhooks (`/webhooks`): an organization's endpoints, the events they subscribe to, and the
//! log of what was sent to them. Messages follow the Standard Webhooks spec: `webhook-id`,
//! `webhook-timestamp` and `webhook-signature` (HMAC-SHA256 over `id.timestamp.body`).

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;
use validator::Validate;

/// What happens to a record, as an event's second half (`contact.updated`).
pub const ACTIONS: &[&str] = &[
    "created",
    "updated",
    "deleted",
    "restored",
    "merged",
    "transferred",
];

/// The actions of entities in customer pools (`Joins::pool`): returned to a pool, and taken from
/// one (claimed, or assigned by a manager).
pub const POOL_ACTIONS: &[&str] = &["released", "claimed"];

/// The event type of a test message (`POST /webhooks/{id}/test`).
pub const TEST_EVENT: &str = "webhook.test";

/// Every event type an endpoint may subscribe to: `{entity}.{action}` of each registered
/// entity, in the registry's order.
pub fn event_types() -> Vec<String> {
    crate::registry::ENTITIES
        .iter()
        .flat_map(|e| {
            let pool = if e.joins.pool { POOL_ACTIONS } else { &[] };
            ACTIONS
                .iter()
                .chain(pool)
                .map(move |a| format!("{}.{a}", e.name))
        })
        .collect()
}

/// Whether `pattern` names events: a type, or `{entity}.*` (each action on the entity). There
/// is no `*`: an entity added in a later version is subscribed to when someone chooses it.
pub fn is_event_pattern(pattern: &str) -> bool {
    match pattern.strip_suffix(".*") {
        Some(entity) => crate::registry::entity(entity).is_some(),
        None => event_types().iter().any(|t| t == pattern),
    }
}

fn known_patterns(patterns: &[String]) -> Result<(), validator::ValidationError> {
    match patterns.iter().find(|p| !is_event_pattern(p)) {
        Some(p) => Err(validator::ValidationError::new("event_type").with_message(
            format!("`{p}` is not an event type (`account.created` or `account.*`)").into(),
        )),
        None => Ok(()),
    }
}

/// How long a delivery waits after its failed attempt `attempt` (1, 2, …) before the next one:
/// at once, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h. `None` after the eighth attempt:
/// the delivery has failed, and its endpoint is turned off.
pub fn retry_after(attempt: i32) -> Option<Duration> {
    const SECS: [i64; 7] = [5, 300, 1800, 7200, 18_000, 36_000, 36_000];
    let i = usize::try_from(attempt.max(1) - 1).ok()?;
    SECS.get(i).map(|s| Duration::seconds(*s))
}

/// Attempts a delivery gets in all.
pub const MAX_ATTEMPTS: i32 = 8;

/// How long a rotated-out secret keeps signing beside the new one.
pub fn rotation_overlap() -> Duration {
    Duration::hours(24)
}

/// An endpoint as the API returns it (never with its secret).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookEndpoint {
    pub id: Uuid,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "https://erp.example.com/kehu/events")
    )]
    pub url: String,
    pub description: String,
    /// Event types, or `{entity}.*` for each action on an entity.
    #[cfg_attr(feature = "openapi", schema(example = json!(["account.created", "opportunity.*"])))]
    pub event_types: Vec<String>,
    /// Off: nothing is queued for it, and what was queued waits until it is on again.
    pub enabled: bool,
    /// Why Kehu turned it off (every attempt at a delivery failed).
    pub disabled_reason: Option<String>,
    /// Until when the previous secret signs too, after a rotation.
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WebhookCreate {
    /// `https://…` (plain `http` only to hosts the server allows), without credentials in it.
    #[validate(length(min = 1, max = 2000))]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "https://erp.example.com/kehu/events")
    )]
    pub url: String,
    #[serde(default)]
    #[validate(length(max = 500))]
    pub description: String,
    #[validate(length(min = 1, max = 100), custom(function = "known_patterns"))]
    #[cfg_attr(feature = "openapi", schema(example = json!(["account.created", "opportunity.*"])))]
    pub event_types: Vec<String>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// `PATCH /webhooks/{id}`: absent fields stay. Turning an endpoint on clears why it was off.
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WebhookPatch {
    #[validate(length(min = 1, max = 2000))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[validate(length(max = 500))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[validate(length(min = 1, max = 100), custom(function = "known_patterns"))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_types: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// A new endpoint, or a rotated secret: `secret` is shown this once.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookWithSecret {
    #[serde(flatten)]
    pub endpoint: WebhookEndpoint,
    /// `whsec_` and the base64 of the key: verify `webhook-signature` with it.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    )]
    pub secret: String,
}

/// Where a delivery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting for `next_at`, or for an earlier change of the same record to be delivered.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Every attempt failed.
    Failed,
}

impl DeliveryState {
    pub const ALL: [DeliveryState; 3] = [
        DeliveryState::Pending,
        DeliveryState::Delivered,
        DeliveryState::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryState> {
        DeliveryState::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One message to one endpoint, as the delivery log shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDelivery {
    pub id: Uuid,
    pub endpoint_id: Uuid,
    /// Sent as `webhook-id`; the same for each attempt and redelivery.
    pub message_id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "account.updated"))]
    pub event_type: String,
    /// The record the event is about (none for a test event).
    pub entity_id: Option<Uuid>,
    pub state: DeliveryState,
    pub attempts: i32,
    /// When the next attempt is due (pending deliveries).
    pub next_at: Option<DateTime<Utc>>,
    /// The receiver's status at the last attempt.
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    /// How long the last attempt took, in milliseconds.
    pub last_latency_ms: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// One attempt at a delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookAttempt {
    pub attempt: i32,
    pub at: DateTime<Utc>,
    /// The receiver's HTTP status; none when no answer came.
    pub status: Option<i32>,
    pub latency_ms: i32,
    pub error: Option<String>,
    /// The start of the receiver's answer.
    pub response: Option<String>,
}

/// A delivery with what it sends and each attempt.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDeliveryDetail {
    #[serde(flatten)]
    pub delivery: WebhookDelivery,
    /// The message body, exactly as sent.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub payload: Value,
    pub attempts_log: Vec<WebhookAttempt>,
}

/// The body of an event's message: `type`, `timestamp` (of the change) and `data`, the record
/// as the change left it, with what changed and who changed it.
pub fn event_message(event: &EventForMessage) -> Value {
    serde_json::json!({
        "type": format!("{}.{}", event.entity, event.action),
        "timestamp": event.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "data": {
            "entity": event.entity,
            "id": event.entity_id,
            "action": event.action,
            "actor_id": event.actor_id,
            "changes": event.changes,
            "object": event.record,
        }
    })
}

/// An outbox event, as a message is made of it.
pub struct EventForMessage {
    pub entity: String,
    pub entity_id: Uuid,
    pub action: String,
    pub actor_id: Option<Uuid>,
    pub at: DateTime<Utc>,
    pub changes: Value,
    /// `null` for changes made many records at a time (a transfer moving a user's records).
    pub record: Option<Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_follow_the_schedule_then_stop() {
        let secs: Vec<Option<i64>> = (1..=9)
            .map(|a| retry_after(a).map(|d| d.num_seconds()))
            .collect();
        assert_eq!(
            secs,
            [
                Some(5),
                Some(300),
                Some(1800),
                Some(7200),
                Some(18_000),
                Some(36_000),
                Some(36_000),
                None,
                None
            ]
        );
        assert_eq!(
            (1..=MAX_ATTEMPTS)
                .filter(|a| retry_after(*a).is_some())
                .count(),
            7
        );
    }

    #[test]
    fn patterns_name_registered_entities_and_actions() {
        for ok in ["account.*", "contact.updated", "product.deleted"] {
            assert!(is_event_pattern(ok), "{ok}");
        }
        for bad in [
            "",
            "*",
            "account",
            "accounts.*",
            "account.edited",
            "user.created",
            "*.created",
        ] {
            assert!(!is_event_pattern(bad), "{bad}");
        }
        let pooled = crate::registry::joining(|j| j.pool).count();
        assert_eq!(
            event_types().len(),
            crate::registry::ENTITIES.len() * ACTIONS.len() + pooled * POOL_ACTIONS.len()
        );
        assert!(is_event_pattern("account.claimed"));
        assert!(!is_event_pattern("contact.claimed"));
    }

    #[test]
    fn states_read_back() {
        for s in DeliveryState::ALL {
            assert_eq!(DeliveryState::parse(s.as_str()), Some(s));
        }
        assert_eq!(DeliveryState::parse("sent"), None);
    }
}
