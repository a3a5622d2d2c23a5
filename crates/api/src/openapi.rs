//! The OpenAPI document: collected from the routes themselves, plus security and the error
//! responses every operation shares.

use crate::routes;
use actix_web::App;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as Doc, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_actix_web::{scope, AppExt};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kehu API",
        description = "Kehu (客户) is an open-source CRM. Conventions: JSON in and out; RFC 9457 problem \
details for every error; keyset pagination (`limit`, `cursor`, `sort`, `q`, `count`, filters as \
`field[op]=value`); `If-Match` with the record's version on PATCH and DELETE; `Idempotency-Key` on POST. \
Authenticate with `Authorization: Bearer <access token or API key>`.",
        license(name = "AGPL-3.0-or-later"),
    ),
    modifiers(&Conventions),
    components(schemas(domain::problem::Problem)),
    tags(
        (name = "auth", description = "Sign-up, sign-in, sessions"),
        (name = "users", description = "The caller and the organization's users"),
        (name = "departments", description = "The department tree"),
        (name = "api-keys", description = "Credentials for integrations"),
        (name = "pipelines", description = "Sales processes and their stages (销售流程)"),
        (name = "duplicates", description = "Finding and merging duplicate records"),
        (name = "picklists", description = "Organization-editable value lists (选项列表)"),
        (name = "regions", description = "China's province > city > district tree (地区)"),
        (name = "timeline", description = "A record's activities, stage changes and field changes, newest first"),
        (name = "settings", description = "The organization's settings"),
        (name = "search", description = "Global search"),
        (name = "metadata", description = "What each entity is and how its list filters and sorts"),
        (name = "views", description = "Saved list views, private or shared (列表视图)"),
        (name = "custom-fields", description = "Fields admins add to an entity without code (自定义字段)"),
        (name = "account-pools", description = "Customer pools (公海): unowned accounts that members claim within limits and managers assign; owned accounts return by rule"),
        (name = "jobs", description = "Background jobs: state, progress, dead jobs and their retry"),
        (name = "notifications", description = "Your notifications (the bell): unread count, list, mark read; and which kinds reach you"),
        (name = "chat-bots", description = "Team-chat robots (WeCom, DingTalk, Feishu) that post the organization's notices, within each platform's rate limit"),
        (name = "webhooks", description = "Webhook endpoints for record events (Standard Webhooks signatures), their delivery log, test events and redelivery"),
        (name = "workflow-rules", description = "Zero-code rules on an entity's records (when, if, then), their dry run, and the rules that ran on a record"),
        (name = "approvals", description = "Approval processes (审批流程) and approvals: submit a change, the inbox, decisions (会签, 或签, 依次; 加签, 退回, 转交, 抄送), the trail"),
        (name = "system", description = "Health and readiness"),
    )
)]
struct ApiDoc;

struct Conventions;

impl Modify for Conventions {
    fn modify(&self, doc: &mut Doc) {
        // Each entity's tag from its description in the registry.
        let tags = doc.tags.get_or_insert_with(Vec::new);
        tags.extend(domain::registry::ENTITIES.iter().map(|e| {
            utoipa::openapi::tag::TagBuilder::new()
                .name(e.plural)
                .description(Some(format!("{} ({})", e.about, e.plural_label.zh)))
                .build()
        }));
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        doc.security = Some(vec![utoipa::openapi::security::SecurityRequirement::new(
            "bearer",
            Vec::<String>::new(),
        )]);
    }
}

fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
    let schema = RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
        domain::problem::Problem::name(),
    ));
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new().schema(Some(schema)).build(),
        )
        .build()
        .into()
}

/// Adds 401 to authenticated operations and a problem `default` to all of them.
fn shared_responses(op: &mut Operation) {
    let public = op
        .security
        .as_ref()
        .is_some_and(|s| s.iter().all(|r| r == &Default::default()));
    if !public {
        op.responses
            .responses
            .entry("401".into())
            .or_insert_with(|| problem("Missing, invalid or expired credentials"));
    }
    op.responses
        .responses
        .entry("default".into())
        .or_insert_with(|| problem("An error, as problem details"));
}

/// The whole document, as served at `/api-docs/openapi.json` and written by `kehu openapi`.
pub fn document() -> Doc {
    let (_, mut doc) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(scope("/api/v1").configure(routes::api))
        .configure(routes::health::routes)
        .split_for_parts();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    for item in doc.paths.paths.values_mut() {
        for op in [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .flatten()
        {
            shared_responses(op);
        }
    }
    crate::openapi_rules::apply(&mut doc);
    doc
}
