//! `/workflow-rules` (admins): zero-code rules per entity, their dry run against a record and
//! their runs; `/workflow-runs`: the rules that ran on a record the caller can see.

use super::records::Versioned;
use super::{ApiError, Call, Reply};
use domain::list::Page;
use domain::workflow::{
    DryRun, DryRunInput, WorkflowRule, WorkflowRuleInput, WorkflowRulePatch, WorkflowRun,
};
use uuid::Uuid;

impl Versioned for WorkflowRule {
    fn version(&self) -> i32 {
        self.version
    }
}

/// How many runs a list shows.
const RUNS: &str = "50";

/// Every rule of the organization (all pages).
pub async fn list_all() -> Result<Vec<WorkflowRule>, ApiError> {
    super::all_pages("/workflow-rules").await
}

/// One rule with its ETag (after a 412, to edit the latest version).
pub async fn get(id: Uuid) -> Result<Reply<WorkflowRule>, ApiError> {
    Call::get(&format!("/workflow-rules/{id}")).send().await
}

pub async fn create(input: &WorkflowRuleInput) -> Result<WorkflowRule, ApiError> {
    Call::post("/workflow-rules")
        .json(input)
        .send()
        .await
        .map(|r| r.body)
}

/// Changes what `patch` sets (absent fields stay; `changed: Some(None)` removes it).
pub async fn update(
    id: Uuid,
    etag: &str,
    patch: &WorkflowRulePatch,
) -> Result<WorkflowRule, ApiError> {
    Call::patch(&format!("/workflow-rules/{id}"))
        .if_match(etag)
        .json(patch)
        .send()
        .await
        .map(|r| r.body)
}

/// Removes a rule with its runs.
pub async fn delete(id: Uuid) -> Result<(), ApiError> {
    Call::delete(&format!("/workflow-rules/{id}"))
        .send_empty()
        .await
}

/// What a run of the rule on the record would do now (nothing is written).
pub async fn dry_run(id: Uuid, input: &DryRunInput) -> Result<DryRun, ApiError> {
    Call::post(&format!("/workflow-rules/{id}/dry-run"))
        .json(input)
        .send()
        .await
        .map(|r| r.body)
}

/// The rule's latest runs, newest first.
pub async fn runs(id: Uuid) -> Result<Vec<WorkflowRun>, ApiError> {
    Call::get(&format!("/workflow-rules/{id}/runs"))
        .param("limit", RUNS)
        .send::<Page<WorkflowRun>>()
        .await
        .map(|r| r.body.data)
}

/// The latest runs of every rule on the record `id` of `entity` (`account`), newest first.
pub async fn runs_on(entity: &str, id: Uuid) -> Result<Vec<WorkflowRun>, ApiError> {
    Call::get("/workflow-runs")
        .param("entity", entity)
        .param("entity_id", id.to_string())
        .param("limit", RUNS)
        .send::<Page<WorkflowRun>>()
        .await
        .map(|r| r.body.data)
}
