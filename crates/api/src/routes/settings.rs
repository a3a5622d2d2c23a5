//! `/settings`: the organization's settings (for now the contact cadence, `neglect_days`).

use crate::error::{validate, ApiError};
use crate::extract::JsonBody;
use crate::principals::Auth;
use crate::state::AppState;
use actix_web::{get, patch, web};
use diesel_async::AsyncConnection;
use domain::activity::{OrgSettings, OrgSettingsPatch};
use domain::problem::Problem;
use persistence::{db, organizations};

/// Organization administration sits with user management (API keys: `users:read`/`users:write`).
const MODULE: &str = "users";

/// The organization's settings
///
/// Readable by every member (the SPA explains the `neglected` flag with it).
#[utoipa::path(
    tag = "settings",
    responses((status = 200, description = "The organization's settings", body = OrgSettings))
)]
#[get("/settings")]
async fn get_settings(
    state: web::Data<AppState>,
    auth: Auth,
) -> Result<web::Json<OrgSettings>, ApiError> {
    auth.require(MODULE, false)?;
    let mut conn = db::conn(&state.pool).await?;
    let neglect_days = organizations::neglect_days(&mut conn, auth.scope.org_id).await?;
    Ok(web::Json(OrgSettings { neglect_days }))
}

/// Change the organization's settings (admin)
///
/// `neglect_days` (0–3650): an account with no activity for this many days is `neglected`.
#[utoipa::path(
    tag = "settings",
    request_body = OrgSettingsPatch,
    responses(
        (status = 200, description = "The updated settings", body = OrgSettings),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/settings")]
async fn update_settings(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<OrgSettingsPatch>,
) -> Result<web::Json<OrgSettings>, ApiError> {
    auth.require(MODULE, true)?;
    auth.require_admin()?;
    validate(&body.value)?;
    let mut conn = db::conn(&state.pool).await?;
    let org = auth.scope.org_id;
    let neglect_days = match body.value.neglect_days {
        Some(days) => {
            conn.transaction::<_, ApiError, _>(async |c| {
                Ok(organizations::set_neglect_days(c, org, days).await?)
            })
            .await?
        }
        None => organizations::neglect_days(&mut conn, org).await?,
    };
    Ok(web::Json(OrgSettings { neglect_days }))
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_settings).service(update_settings);
}
