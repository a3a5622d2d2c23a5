//! `/opportunities`: the records, stage moves, stage history, pipelines and the forecast.

use super::records::{etag_of, Resource};
use super::{ApiError, Call, Reply};
use domain::list::Page;
use domain::opportunity::{Forecast, MoveRequest, Opportunity, StageChange};
use domain::pipeline::Pipeline;
use serde::Deserialize;
use uuid::Uuid;

pub const PATH: &str = "/opportunities";
pub const OPPORTUNITIES: Resource<Opportunity> = Resource::new(PATH);

/// `/accounts/{id}/opportunities`.
pub fn of_account(account: Uuid) -> String {
    format!("{}/{account}/opportunities", super::accounts::PATH)
}

/// Moves a deal to a stage (a reason is required for won and lost; a lost deal may name a key of
/// the `lost_reason` picklist), `If-Match` its version.
pub async fn move_to(
    deal: &Opportunity,
    stage_id: Uuid,
    reason: Option<String>,
    lost_reason: Option<String>,
) -> Result<Reply<Opportunity>, ApiError> {
    Call::post(&format!("{}/move", OPPORTUNITIES.one(deal.id)))
        .if_match(&etag_of(deal))
        .json(&MoveRequest {
            stage_id,
            reason,
            lost_reason,
        })
        .send()
        .await
}

pub async fn stage_history(id: Uuid) -> Result<Vec<StageChange>, ApiError> {
    Call::get(&format!("{}/stage-history", OPPORTUNITIES.one(id)))
        .param("limit", "100")
        .send::<Page<StageChange>>()
        .await
        .map(|r| r.body.data)
}

#[derive(Deserialize)]
struct Items<T> {
    data: Vec<T>,
}

/// Every pipeline with its stages in order, the default first.
pub async fn pipelines() -> Result<Vec<Pipeline>, ApiError> {
    Call::get("/pipelines")
        .send::<Items<Pipeline>>()
        .await
        .map(|r| r.body.data)
}

/// The forecast for a period (`None`: this quarter), by owner.
pub async fn forecast(from: Option<String>, to: Option<String>) -> Result<Forecast, ApiError> {
    let mut call = Call::get("/forecast").param("by", "owner");
    if let Some(f) = from {
        call = call.param("from", f);
    }
    if let Some(t) = to {
        call = call.param("to", t);
    }
    call.send().await.map(|r| r.body)
}

/// All deals matching `pairs`, following cursors (at most `max` records).
pub async fn all(pairs: Vec<(String, String)>, max: usize) -> Result<Vec<Opportunity>, ApiError> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut call = Call::get(PATH).params(&pairs).param("limit", "200");
        if let Some(c) = &cursor {
            call = call.param("cursor", c.clone());
        }
        let page = call.send::<Page<Opportunity>>().await?.body;
        out.extend(page.data);
        match page.next_cursor {
            Some(c) if out.len() < max => cursor = Some(c),
            _ => return Ok(out),
        }
    }
}
