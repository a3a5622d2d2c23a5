//! `/webhooks` (admins): endpoints, their secrets (shown only by create and rotate), test
//! events, and each endpoint's delivery log with redelivery.

use super::records::Versioned;
use super::{ApiError, Call, Reply};
use domain::list::Page;
use domain::webhook::{
    DeliveryState, WebhookCreate, WebhookDelivery, WebhookDeliveryDetail, WebhookEndpoint,
    WebhookPatch, WebhookWithSecret,
};
use serde::Deserialize;
use uuid::Uuid;

impl Versioned for WebhookEndpoint {
    fn version(&self) -> i32 {
        self.version
    }
}

#[derive(Deserialize)]
struct Items {
    data: Vec<String>,
}

/// What an endpoint may subscribe to (`account.created`, …), in the registry's order.
pub async fn event_types() -> Result<Vec<String>, ApiError> {
    Call::get("/webhooks/event-types")
        .send::<Items>()
        .await
        .map(|r| r.body.data)
}

/// A page of endpoints, oldest first, after `cursor`.
pub async fn list(cursor: Option<&str>) -> Result<Page<WebhookEndpoint>, ApiError> {
    let mut call = Call::get("/webhooks").param("limit", "100");
    if let Some(c) = cursor {
        call = call.param("cursor", c);
    }
    call.send().await.map(|r| r.body)
}

/// One endpoint with its ETag (after a 412, to edit the latest version).
pub async fn get(id: Uuid) -> Result<Reply<WebhookEndpoint>, ApiError> {
    Call::get(&format!("/webhooks/{id}")).send().await
}

/// Adds an endpoint; the answer holds its secret, this once.
pub async fn create(input: &WebhookCreate) -> Result<WebhookWithSecret, ApiError> {
    Call::post("/webhooks")
        .json(input)
        .send()
        .await
        .map(|r| r.body)
}

/// Changes what `patch` holds (absent fields stay), with `If-Match`.
pub async fn update(
    id: Uuid,
    etag: &str,
    patch: &WebhookPatch,
) -> Result<WebhookEndpoint, ApiError> {
    Call::patch(&format!("/webhooks/{id}"))
        .if_match(etag)
        .json(patch)
        .send()
        .await
        .map(|r| r.body)
}

/// Removes an endpoint with its queue and delivery log.
pub async fn delete(id: Uuid) -> Result<(), ApiError> {
    Call::delete(&format!("/webhooks/{id}")).send_empty().await
}

/// A new secret, shown this once; the previous one signs beside it for a while.
pub async fn rotate_secret(id: Uuid) -> Result<WebhookWithSecret, ApiError> {
    Call::post(&format!("/webhooks/{id}/rotate-secret"))
        .send()
        .await
        .map(|r| r.body)
}

/// Queues a `webhook.test` message to the endpoint.
pub async fn send_test(id: Uuid) -> Result<WebhookDelivery, ApiError> {
    Call::post(&format!("/webhooks/{id}/test"))
        .send()
        .await
        .map(|r| r.body)
}

/// A page of the endpoint's deliveries, newest first, in `state` when given.
pub async fn deliveries(
    id: Uuid,
    state: Option<DeliveryState>,
    cursor: Option<&str>,
) -> Result<Page<WebhookDelivery>, ApiError> {
    let mut call = Call::get(&format!("/webhooks/{id}/deliveries")).param("limit", "50");
    if let Some(s) = state {
        call = call.param("state", s.as_str());
    }
    if let Some(c) = cursor {
        call = call.param("cursor", c);
    }
    call.send().await.map(|r| r.body)
}

/// One delivery with the message as sent and each attempt.
pub async fn delivery(id: Uuid, delivery: Uuid) -> Result<WebhookDeliveryDetail, ApiError> {
    Call::get(&format!("/webhooks/{id}/deliveries/{delivery}"))
        .send()
        .await
        .map(|r| r.body)
}

/// Queues a delivered or failed message again (same `webhook-id`).
pub async fn redeliver(id: Uuid, delivery: Uuid) -> Result<WebhookDelivery, ApiError> {
    Call::post(&format!("/webhooks/{id}/deliveries/{delivery}/redeliver"))
        .send()
        .await
        .map(|r| r.body)
}
