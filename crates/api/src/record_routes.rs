//! `record_routes!`: the REST resource of a registered entity written through the generic write
//! path (`persistence::records::Writable`) — list, create, get, update, delete, restore and
//! history — with their OpenAPI documentation. `force: [crate::routes::ForceParam]` documents
//! `force=true` for entities whose writes check duplicates (`[]` for those that do not). An entity's route module is this one invocation
//! plus what is its own. (Attribute macros take literals only, hence a path per route; the
//! invoking module imports `actix_web::{get, post, patch, delete}`, the attributes OpenAPI reads.)

#[macro_export]
macro_rules! record_routes {
    (
        record: $R:ident, input: $I:ident, patch: $P:ident, tag: $tag:literal, module: $module:literal,
        paths: ($list:literal, $item:literal, $restore:literal, $history:literal),
        handlers: ($list_fn:ident, $create_fn:ident, $get_fn:ident, $update_fn:ident,
                   $delete_fn:ident, $restore_fn:ident, $history_fn:ident),
        list_doc: ($list_sum:literal, $list_doc:literal),
        create_doc: ($create_sum:literal, $create_doc:literal),
        update_doc: ($update_sum:literal, $update_doc:literal),
        force: [$($force:path)?] $(,)?
    ) => {
        #[doc = $list_sum]
        #[doc = ""]
        #[doc = $list_doc]
        #[utoipa::path(
            tag = $tag,
            params($crate::routes::ListParams, $crate::routes::RecordListParams,
                   ("deleted" = Option<bool>, Query, description = "List the recycle bin")),
            responses(
                (status = 200, description = "A page of the records the caller can see", body = domain::list::Page<$R>),
                (status = 400, description = "Unknown filter, operator, sort field or field", body = domain::problem::Problem, content_type = "application/problem+json"),
            )
        )]
        #[get($list)]
        async fn $list_fn(
            state: actix_web::web::Data<$crate::state::AppState>,
            auth: $crate::principals::Auth,
            query: $crate::extract::QueryPairs,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            $crate::records::list::<$R>(&state, &auth, $module, &query, None).await
        }

        #[doc = $create_sum]
        #[doc = ""]
        #[doc = $create_doc]
        #[utoipa::path(
            tag = $tag,
            params($($force,)? ("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the first result")),
            request_body = $I,
            responses(
                (status = 201, description = "Created", body = $R, headers(("Location" = String), ("ETag" = String))),
                (status = 409, description = "A unique value is taken (`errors` names the field, code `taken`), or a possible duplicate", body = domain::problem::Problem, content_type = "application/problem+json"),
                (status = 422, description = "Invalid fields", body = domain::problem::Problem, content_type = "application/problem+json"),
            )
        )]
        #[post($list)]
        async fn $create_fn(
            state: actix_web::web::Data<$crate::state::AppState>,
            auth: $crate::principals::Auth,
            force: $crate::extract::Force,
            key: $crate::extract::IdempotencyKey,
            body: $crate::extract::JsonBody<$I>,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            $crate::records::create::<$R>(&state, &auth, $module, force, key, body).await
        }

        /// Get a record
        #[utoipa::path(
            tag = $tag,
            responses(
                (status = 200, description = "The record", body = $R, headers(("ETag" = String))),
                (status = 404, description = "No such record visible to the caller", body = domain::problem::Problem, content_type = "application/problem+json"),
            )
        )]
        #[get($item)]
        async fn $get_fn(
            state: actix_web::web::Data<$crate::state::AppState>,
            auth: $crate::principals::Auth,
            id: actix_web::web::Path<uuid::Uuid>,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            $crate::records::get::<$R>(&state, &auth, $module, *id).await
        }

        #[doc = $update_sum]
        #[doc = ""]
        #[doc = $update_doc]
        #[utoipa::path(
            tag = $tag,
            params($($force,)? ("If-Match" = String, Header, description = "The ETag read, e.g. \"3\"; `*` overwrites")),
            request_body = $P,
            responses(
                (status = 200, description = "The updated record", body = $R, headers(("ETag" = String))),
                (status = 404, description = "No such record visible to the caller", body = domain::problem::Problem, content_type = "application/problem+json"),
                (status = 409, description = "A unique value is taken (`errors` names the field, code `taken`)", body = domain::problem::Problem, content_type = "application/problem+json"),
                (status = 412, description = "Stale version", body = domain::problem::Problem, content_type = "application/problem+json"),
                (status = 422, description = "Invalid fields", body = domain::problem::Problem, content_type = "application/problem+json"),
                (status = 428, description = "If-Match missing", body = domain::problem::Problem, content_type = "application/problem+json"),
            )
        )]
        #[patch($item)]
        async fn $update_fn(
            state: actix_web::web::Data<$crate::state::AppState>,
            auth: $crate::principals::Auth,
            id: actix_web::web::Path<uuid::Uuid>,
            if_match: $crate::extract::IfMatch,
            force: $crate::extract::Force,
            body: $crate::extract::JsonBody<$P>,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            $crate::records::update::<$R>(&state, &auth, $module, *id, if_match, force, body).await
        }

        /// Delete a record (to the recycle bin)
        #[utoipa::path(
            tag = $tag,
            params(("If-Match" = String, Header, description = "The ETag read; `*` deletes whatever the version")),
            responses(
                (status = 204, description = "Moved to the recycle bin"),
                (status = 404, description = "No such record visible to the caller", body = domain::problem::Problem, content_type = "application/problem+json"),
                (status = 412, description = "Stale version", body = domain::problem::Problem, content_type = "application/problem+json"),
                (status = 428, description = "If-Match missing", body = domain::problem::Problem, content_type = "application/problem+json"),
            )
        )]
        #[delete($item)]
        async fn $delete_fn(
            state: actix_web::web::Data<$crate::state::AppState>,
            auth: $crate::principals::Auth,
            id: actix_web::web::Path<uuid::Uuid>,
            if_match: $crate::extract::IfMatch,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            $crate::records::delete::<$R>(&state, &auth, $module, *id, if_match).await
        }

        /// Restore a record from the recycle bin
        #[utoipa::path(
            tag = $tag,
            responses(
                (status = 200, description = "The restored record", body = $R, headers(("ETag" = String))),
                (status = 404, description = "No such deleted record visible to the caller", body = domain::problem::Problem, content_type = "application/problem+json"),
                (status = 409, description = "Not in the recycle bin, or a unique value is taken meanwhile", body = domain::problem::Problem, content_type = "application/problem+json"),
            )
        )]
        #[post($restore)]
        async fn $restore_fn(
            state: actix_web::web::Data<$crate::state::AppState>,
            auth: $crate::principals::Auth,
            id: actix_web::web::Path<uuid::Uuid>,
        ) -> Result<actix_web::HttpResponse, $crate::error::ApiError> {
            $crate::records::restore::<$R>(&state, &auth, $module, *id).await
        }

        /// A record's history
        ///
        /// Who changed what and when, newest first, with field-level changes. Filters: `action`, `actor_id`, `at`.
        #[utoipa::path(
            tag = $tag,
            params($crate::routes::ListParams),
            responses(
                (status = 200, description = "Audit events of the record", body = domain::list::Page<domain::audit::HistoryEntry>),
                (status = 404, description = "No such record visible to the caller", body = domain::problem::Problem, content_type = "application/problem+json"),
            )
        )]
        #[get($history)]
        async fn $history_fn(
            state: actix_web::web::Data<$crate::state::AppState>,
            auth: $crate::principals::Auth,
            id: actix_web::web::Path<uuid::Uuid>,
            query: $crate::extract::QueryPairs,
        ) -> Result<actix_web::web::Json<domain::list::Page<domain::audit::HistoryEntry>>, $crate::error::ApiError> {
            $crate::records::history::<$R>(&state, &auth, $module, *id, &query).await
        }

        /// The record routes, for the module's `routes`.
        fn record_services(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
            cfg.service($list_fn)
                .service($create_fn)
                .service($get_fn)
                .service($update_fn)
                .service($delete_fn)
                .service($restore_fn)
                .service($history_fn);
        }
    };
}
