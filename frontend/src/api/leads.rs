//! `/leads`, and converting one into an account, a contact and optionally a deal.

use super::records::{etag_of, Resource};
use super::{ApiError, Call, Reply};
use domain::lead::{ConvertRequest, ConvertResult, Lead};

pub const PATH: &str = "/leads";
pub const LEADS: Resource<Lead> = Resource::new(PATH);

/// `POST /leads/{id}/convert` with the lead's version; `force` past duplicate checks.
pub async fn convert(
    lead: &Lead,
    request: &ConvertRequest,
    force: bool,
) -> Result<Reply<ConvertResult>, ApiError> {
    let mut call = Call::post(&format!("{}/convert", LEADS.one(lead.id)))
        .if_match(&etag_of(lead))
        .json(request);
    if force {
        call = call.param("force", "true");
    }
    call.send().await
}
