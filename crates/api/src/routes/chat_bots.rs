//! `/chat-bots`: an organization's team-chat robots (WeCom, DingTalk, Feishu) that post its
//! members' notices of chosen kinds to a group, for admins. A bot's secret is never shown again.

use super::ListParams;
use crate::error::{validate, ApiError};
use crate::extract::{created, with_etag, IfMatch, JsonBody, QueryPairs};
use crate::principals::Auth;
use crate::state::AppState;
use crate::webhooks::targets;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::Utc;
use domain::chat::{ChatBot, ChatBotCreate, ChatBotPatch};
use domain::list::Page;
use domain::problem::Problem;
use persistence::chat_bots::{self, NewBot};
use persistence::db;
use persistence::list::ListRequest;
use uuid::Uuid;

const MODULE: &str = "settings";

fn admin(auth: &Auth, write: bool) -> Result<(), ApiError> {
    auth.require(MODULE, write)?;
    auth.require_admin()
}

fn check_url(state: &AppState, url: &str) -> Result<(), ApiError> {
    targets::check_url(url, state.settings.webhooks.private_targets)
        .map_err(|e| ApiError::Validation(vec![e]))
}

/// List team-chat bots
#[utoipa::path(
    tag = "chat-bots",
    params(ListParams),
    responses(
        (status = 200, description = "A page of bots", body = Page<ChatBot>),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/chat-bots")]
async fn list_bots(
    state: web::Data<AppState>,
    auth: Auth,
    query: QueryPairs,
) -> Result<web::Json<Page<ChatBot>>, ApiError> {
    admin(&auth, false)?;
    let req = ListRequest::parse(&chat_bots::SPEC, &query.0)?;
    let mut conn = db::conn(&state.pool).await?;
    Ok(web::Json(
        chat_bots::list(&mut conn, &auth.scope, &req).await?,
    ))
}

/// Add a team-chat bot
///
/// From then on, each notice of its `kinds` given to a member of the organization is posted to
/// the bot's group (unless that member turned `team_chat` off for the kind): at most the
/// platform's limit a minute (WeCom and DingTalk 20, Feishu 100), the overflow merged into a
/// digest. DingTalk's 加签 and Feishu's 签名校验 need the bot's `secret`.
#[utoipa::path(
    tag = "chat-bots",
    request_body = ChatBotCreate,
    responses(
        (status = 201, description = "Added", body = ChatBot, headers(("ETag" = String))),
        (status = 403, description = "Not an admin", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/chat-bots")]
async fn create_bot(
    state: web::Data<AppState>,
    auth: Auth,
    body: JsonBody<ChatBotCreate>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, true)?;
    let input = body.value;
    validate(&input)?;
    check_url(&state, &input.url)?;
    let mut conn = db::conn(&state.pool).await?;
    let new = NewBot {
        platform: input.platform,
        name: &input.name,
        url: &input.url,
        secret: input.secret.as_deref(),
        kinds: &input.kinds,
        enabled: input.enabled,
    };
    let bot = chat_bots::create(&mut conn, &auth.scope, &new, Utc::now()).await?;
    Ok(created(
        &bot,
        bot.version,
        &format!("/api/v1/chat-bots/{}", bot.id),
    ))
}

/// Get a team-chat bot
#[utoipa::path(
    tag = "chat-bots",
    responses(
        (status = 200, description = "The bot", body = ChatBot, headers(("ETag" = String))),
        (status = 404, description = "No such bot in the organization", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/chat-bots/{id}")]
async fn get_bot(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, false)?;
    let mut conn = db::conn(&state.pool).await?;
    let bot: ChatBot = chat_bots::row(&mut conn, &auth.scope, *id).await?.into();
    Ok(with_etag(
        actix_web::http::StatusCode::OK,
        &bot,
        bot.version,
    ))
}

/// Change a team-chat bot
#[utoipa::path(
    tag = "chat-bots",
    params(("If-Match" = String, Header, description = "The ETag read; `*` overwrites")),
    request_body = ChatBotPatch,
    responses(
        (status = 200, description = "The changed bot", body = ChatBot, headers(("ETag" = String))),
        (status = 404, description = "No such bot in the organization", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/chat-bots/{id}")]
async fn update_bot(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: JsonBody<ChatBotPatch>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, true)?;
    let patch = body.value;
    validate(&patch)?;
    if let Some(url) = &patch.url {
        check_url(&state, url)?;
    }
    let mut conn = db::conn(&state.pool).await?;
    let bot =
        chat_bots::update(&mut conn, &auth.scope, *id, if_match.0, &patch, Utc::now()).await?;
    Ok(with_etag(
        actix_web::http::StatusCode::OK,
        &bot,
        bot.version,
    ))
}

/// Remove a team-chat bot
#[utoipa::path(
    tag = "chat-bots",
    responses(
        (status = 204, description = "Removed, with what it had waiting"),
        (status = 404, description = "No such bot in the organization", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/chat-bots/{id}")]
async fn delete_bot(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    admin(&auth, true)?;
    let mut conn = db::conn(&state.pool).await?;
    chat_bots::delete(&mut conn, &auth.scope, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_bots)
        .service(create_bot)
        .service(get_bot)
        .service(update_bot)
        .service(delete_bot);
}
