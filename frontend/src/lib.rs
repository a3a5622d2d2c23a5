//! Kehu's browser app: for now a bilingual placeholder page that points to the
//! API documentation and shows whether the API answers `GET /health`.

use std::time::Duration;

use gloo_net::http::Request;
use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;

/// How often the status line asks the API again.
const HEALTH_POLL: Duration = Duration::from_secs(30);

/// Entry point, run by the generated JS module's `init()`.
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

/// Asks the API on the same origin whether it is up.
async fn check_health() -> Result<(), String> {
    let response = Request::get("/health")
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if response.ok() {
        Ok(())
    } else {
        Err(format!("HTTP {}", response.status()))
    }
}

#[component]
fn App() -> impl IntoView {
    let health = LocalResource::new(check_health);
    set_interval(move || health.refetch(), HEALTH_POLL);

    let status = move || {
        let (class, text) = match health.get() {
            None => ("status", "API: …".to_owned()),
            Some(Ok(())) => ("status ok", "API: ok".to_owned()),
            Some(Err(e)) => ("status error", format!("API: error ({e})")),
        };
        view! { <p class=class role="status">{text}</p> }
    };

    view! {
        <main>
            <h1>{domain::APP_NAME} " 客户"</h1>
            <p lang="zh-CN">
                "网页应用即将上线。现在可以查看 API 文档："
                <a href="/docs">"/docs"</a>
                "，或 OpenAPI 描述："
                <a href="/api-docs/openapi.json">"/api-docs/openapi.json"</a>
                "。"
            </p>
            <p lang="en">
                "The web app is coming soon. Meanwhile, see the API docs at "
                <a href="/docs">"/docs"</a>
                " and the OpenAPI description at "
                <a href="/api-docs/openapi.json">"/api-docs/openapi.json"</a>
                "."
            </p>
            {status}
        </main>
    }
}
