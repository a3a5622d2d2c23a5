//! `/settings`: the organization's settings (readable by every member, changed by admins).

use super::{ApiError, Call};
use domain::activity::{OrgSettings, OrgSettingsPatch};

pub async fn get() -> Result<OrgSettings, ApiError> {
    Call::get("/settings").send().await.map(|r| r.body)
}

pub async fn update(patch: &OrgSettingsPatch) -> Result<OrgSettings, ApiError> {
    Call::patch("/settings")
        .json(patch)
        .send()
        .await
        .map(|r| r.body)
}
