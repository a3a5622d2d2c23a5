//! What every response carries for browsers (Content-Security-Policy, nosniff, no framing, no
//! referrer, caching), how the web app's files are served, and 405 for a method a path lacks.

use std::path::PathBuf;
use testkit::{Res, TestApp};

const JS: &str = "kehu_frontend-0123456789abcdef.js";
const WASM: &str = "kehu_frontend_bg-fedcba9876543210.wasm";

/// A built app as scripts/build-frontend.sh lays it out, with copies whose content tells which
/// one was sent. Removed on drop.
struct Dist(PathBuf);

impl Dist {
    fn new() -> Dist {
        let dir = std::env::temp_dir().join(format!("kehu-dist-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("dist directory");
        let files = [
            (
                "index.html".to_string(),
                "<!doctype html><title>Kehu</title>".to_string(),
            ),
            ("index.html.br".into(), "index, brotli".into()),
            (JS.into(), "export default 1;".into()),
            (format!("{JS}.br"), "js, brotli".into()),
            (format!("{JS}.gz"), "js, gzip".into()),
            (WASM.into(), "wasm".into()),
            (format!("{WASM}.br"), "wasm, brotli".into()),
        ];
        for (name, content) in files {
            std::fs::write(dir.join(name), content).expect("write a dist file");
        }
        Dist(dir)
    }
}

impl Drop for Dist {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn with_app() -> (TestApp, Dist) {
    let dist = Dist::new();
    let dir = dist.0.clone();
    (TestApp::spawn_with(|s| s.static_dir = dir).await, dist)
}

fn assert_browser_headers(res: &Res, what: &str) {
    assert_eq!(
        res.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(res.header("referrer-policy"), Some("no-referrer"), "{what}");
    assert_eq!(res.header("x-frame-options"), Some("DENY"), "{what}");
    let csp = res.header("content-security-policy").unwrap_or("");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(
        !csp.contains(" 'unsafe-eval'") && !csp.contains("script-src 'unsafe-inline'"),
        "{what}: {csp}"
    );
}

#[tokio::test]
async fn every_kind_of_response_carries_the_security_headers() {
    let (app, _dist) = with_app().await;
    let admin = app.signup("安全头公司").await;
    let app_policy = "script-src 'self' 'wasm-unsafe-eval'";

    for path in ["/", "/accounts/0190a0a0-0000-7000-8000-000000000000"] {
        let page = app.get(path).send().await;
        assert_eq!(page.status, 200, "{path}: {page:?}");
        assert_eq!(page.body, "<!doctype html><title>Kehu</title>", "{path}");
        assert_browser_headers(&page, path);
        let csp = page.header("content-security-policy").unwrap_or("");
        assert!(
            csp.contains(app_policy) && csp.contains("object-src 'none'"),
            "{csp}"
        );
        assert!(
            csp.contains("base-uri 'self'") && csp.contains("style-src 'self'"),
            "{csp}"
        );
        assert_eq!(
            page.header("cache-control"),
            Some("no-cache"),
            "{path}: revalidated"
        );
    }
    let file = app.get(&format!("/{JS}")).send().await;
    assert_eq!(file.status, 200);
    assert_browser_headers(&file, "a static file");

    let docs = app.get("/docs").send().await;
    assert_eq!(docs.status, 200);
    assert_browser_headers(&docs, "/docs");
    let page = docs.body.as_str().unwrap_or("");
    assert!(
        !page.contains("<script>"),
        "the policy allows no inline script, so the page has none: {page}"
    );
    let init = app.get("/docs/init.js").send().await;
    assert_eq!(init.status, 200, "{init:?}");

    for res in [
        app.get("/api/v1/me").auth(&admin.token).send().await,
        app.get("/api/v1/accounts").auth(&admin.token).send().await,
        app.get("/api/v1/accounts").send().await,
        app.get("/ready").send().await,
    ] {
        assert_browser_headers(&res, "the API");
        assert_eq!(
            res.header("content-security-policy"),
            Some("default-src 'none'; frame-ancestors 'none'")
        );
        assert_eq!(res.header("cache-control"), Some("no-store"), "{res:?}");
    }
}

#[tokio::test]
async fn the_app_files_are_sent_compressed_as_accepted_and_cached_by_their_hash() {
    let (app, _dist) = with_app().await;
    let js = format!("/{JS}");
    let get = |accept: Option<&'static str>, path: String| {
        let call = app.get(&path);
        async move {
            match accept {
                Some(a) => call.header("accept-encoding", a),
                None => call,
            }
            .send()
            .await
        }
    };
    for (accept, body, encoding) in [
        (Some("gzip, deflate, br, zstd"), "js, brotli", Some("br")),
        (Some("gzip"), "js, gzip", Some("gzip")),
        (Some("br;q=0, gzip"), "js, gzip", Some("gzip")),
        (Some("identity"), "export default 1;", None),
        (None, "export default 1;", None),
    ] {
        let res = get(accept, js.clone()).await;
        assert_eq!(res.status, 200, "{accept:?}");
        assert_eq!(res.body, body, "{accept:?}");
        assert_eq!(res.header("content-encoding"), encoding, "{accept:?}");
        assert!(
            res.header("content-type")
                .unwrap_or("")
                .contains("javascript"),
            "{res:?}"
        );
        assert_eq!(res.header("vary"), Some("accept-encoding"));
        assert_eq!(
            res.header("cache-control"),
            Some("public, max-age=31536000, immutable")
        );
    }
    let wasm = get(Some("gzip, br"), format!("/{WASM}")).await;
    assert_eq!(wasm.body, "wasm, brotli");
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    let wasm = get(Some("gzip"), format!("/{WASM}")).await;
    assert_eq!(wasm.body, "wasm", "no gzip copy: the file itself");
    assert_eq!(wasm.header("content-encoding"), None);

    // index.html (for any route of the app) is compressed too, and revalidated, not kept.
    let index = get(Some("br"), "/leads".into()).await;
    assert_eq!(index.body, "index, brotli");
    assert_eq!(index.header("cache-control"), Some("no-cache"));
    assert!(index.header("etag").is_some(), "revalidated by its ETag");
    assert!(index
        .header("content-type")
        .unwrap_or("")
        .starts_with("text/html"));

    // An old build's file is gone, not the app's page (which a browser would run as script).
    let gone = get(None, "/kehu_frontend-ffffffffffffffff.js".into()).await;
    assert!(gone.is_problem(404), "{gone:?}");
    let copy = get(None, format!("/{JS}.br")).await;
    assert!(
        copy.is_problem(404),
        "copies are not files of their own: {copy:?}"
    );
}

#[tokio::test]
async fn a_method_a_path_does_not_answer_is_405_with_allow() {
    let (app, _dist) = with_app().await;
    let admin = app.signup("方法公司").await;
    let id = "0190a0a0-0000-7000-8000-000000000000";
    for (method, path, allow) in [
        (
            reqwest::Method::PUT,
            "/api/v1/accounts".to_string(),
            "GET, POST",
        ),
        (
            reqwest::Method::DELETE,
            "/api/v1/accounts".into(),
            "GET, POST",
        ),
        (
            reqwest::Method::PUT,
            format!("/api/v1/accounts/{id}"),
            "GET, PATCH, DELETE",
        ),
        // The literal path, not `/accounts/{id}` (which GET, PATCH and DELETE of it reach).
        (
            reqwest::Method::PUT,
            "/api/v1/accounts/merge".into(),
            "POST",
        ),
        (reqwest::Method::GET, "/api/v1/auth/login".into(), "POST"),
        (reqwest::Method::POST, "/ready".into(), "GET"),
        (reqwest::Method::POST, "/accounts".into(), "GET, HEAD"),
    ] {
        let res = app
            .call(method.clone(), &path)
            .auth(&admin.token)
            .send()
            .await;
        assert!(res.is_problem(405), "{method} {path}: {res:?}");
        assert_eq!(res.header("allow"), Some(allow), "{method} {path}");
    }
    let unknown = app
        .call(reqwest::Method::PUT, "/api/v1/nothing-here")
        .send()
        .await;
    assert!(unknown.is_problem(404), "{unknown:?}");
}

#[tokio::test]
async fn head_answers_like_get_without_a_body() {
    let app = testkit::TestApp::spawn().await;
    let admin = app.signup("HEAD").await;
    for path in ["/api/v1/accounts", "/api/v1/metadata", "/health"] {
        let get = app.get(path).auth(&admin.token).send().await;
        let head = app
            .client
            .head(app.url(path))
            .bearer_auth(&admin.token)
            .send()
            .await
            .expect("HEAD");
        assert_eq!(head.status().as_u16(), get.status, "{path}");
        assert_eq!(
            head.headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            get.header("content-type"),
            "{path}"
        );
        let body = head.bytes().await.expect("body");
        assert!(body.is_empty(), "{path}: HEAD has no body");
    }
}
