//! `/approval-processes` (admins set them up) and `/approvals`: the caller's inbox, a record's
//! approvals, one approval with its tasks and trail, submitting a change and deciding on one;
//! and reading a refused write (409) that names the process it needs.

use super::records::Versioned;
use super::{ApiError, Call, Reply};
use domain::approval::{
    Approval, ApprovalProcess, ApprovalProcessInput, ApprovalProcessPatch, DecideInput, SubmitInput,
};
use domain::list::Page;
use uuid::Uuid;

impl Versioned for ApprovalProcess {
    fn version(&self) -> i32 {
        self.version
    }
}

/// Every process of the organization (all pages).
pub async fn processes() -> Result<Vec<ApprovalProcess>, ApiError> {
    super::all_pages("/approval-processes").await
}

/// One process with its ETag (after a 412, to edit the latest version).
pub async fn process(id: Uuid) -> Result<Reply<ApprovalProcess>, ApiError> {
    Call::get(&format!("/approval-processes/{id}")).send().await
}

pub async fn create_process(input: &ApprovalProcessInput) -> Result<ApprovalProcess, ApiError> {
    Call::post("/approval-processes")
        .json(input)
        .send()
        .await
        .map(|r| r.body)
}

/// Changes its name, steps, copied users or on/off (absent fields stay), with `If-Match`.
pub async fn update_process(
    id: Uuid,
    etag: &str,
    patch: &ApprovalProcessPatch,
) -> Result<ApprovalProcess, ApiError> {
    Call::patch(&format!("/approval-processes/{id}"))
        .if_match(etag)
        .json(patch)
        .send()
        .await
        .map(|r| r.body)
}

/// Which approvals a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// What waits for the caller's decision (the inbox).
    Mine,
    /// Every approval the caller submitted, approves or is copied on (an admin: all).
    Involved,
    /// A record's.
    Of(Uuid),
}

/// A page of approvals (without tasks and trail), newest first, after `cursor`.
pub async fn list(which: Which, cursor: Option<String>) -> Result<Page<Approval>, ApiError> {
    let mut call = Call::get("/approvals").param("limit", "30");
    match which {
        Which::Mine => call = call.param("mine", "true"),
        Which::Involved => {}
        Which::Of(id) => call = call.param("entity_id", id.to_string()),
    }
    if let Some(c) = cursor {
        call = call.param("cursor", c);
    }
    call.send().await.map(|r| r.body)
}

/// One approval with its tasks and trail.
pub async fn get(id: Uuid) -> Result<Approval, ApiError> {
    Call::get(&format!("/approvals/{id}"))
        .send()
        .await
        .map(|r| r.body)
}

/// Asks for a change of a record (409 while another approval of it is open).
pub async fn submit(input: &SubmitInput) -> Result<Approval, ApiError> {
    Call::post("/approvals")
        .json(input)
        .send()
        .await
        .map(|r| r.body)
}

/// A decision (403 when the approval does not wait for the caller; 409 when decided already).
pub async fn decide(id: Uuid, input: &DecideInput) -> Result<Approval, ApiError> {
    Call::post(&format!("/approvals/{id}/decide"))
        .json(input)
        .send()
        .await
        .map(|r| r.body)
}

/// The process a refused write needs, from the 409's detail: `this change needs approval
/// (“大额商机审批”): submit it with POST /approvals {"process_id": "…", …}` → its id and name.
/// (Only admins may list processes, so the refusal is where others learn which one.)
pub fn needed_process(e: &ApiError) -> Option<(Uuid, String)> {
    if e.status() != Some(409) {
        return None;
    }
    let detail = e.problem()?.detail.as_deref()?;
    if !detail.contains("needs approval") {
        return None;
    }
    let after = detail.split_once("\"process_id\": \"")?.1;
    let id = after.get(..36)?.parse().ok()?;
    let name = detail
        .split_once('“')
        .and_then(|(_, rest)| rest.split_once('”'))
        .map(|(name, _)| name.to_string())
        .unwrap_or_default();
    Some((id, name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::problem::Problem;

    fn conflict(detail: &str) -> ApiError {
        let p: Problem = serde_json::from_value(serde_json::json!({
            "type": "about:blank", "title": "Conflict", "status": 409, "detail": detail,
        }))
        .expect("problem");
        ApiError::Problem(p)
    }

    #[test]
    fn a_refusal_names_the_process_it_needs() {
        let id = Uuid::from_u128(5);
        let e = conflict(&format!(
            "this change needs approval (“大额商机审批”): submit it with POST /approvals \
             {{\"process_id\": \"{id}\", \"record_id\": \"{}\", \"proposed\": {{…}}}}",
            Uuid::from_u128(6)
        ));
        assert_eq!(needed_process(&e), Some((id, "大额商机审批".into())));
        assert_eq!(needed_process(&conflict("the name is taken")), None);
    }
}
