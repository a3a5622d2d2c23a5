//! Problem details (RFC 9457) for every kind of bad input, with a request id.

use testkit::TestApp;

#[tokio::test]
async fn malformed_input_gets_problem_json() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;

    let malformed = app
        .post("/api/v1/accounts")
        .auth(&admin.token)
        .raw("application/json", "{\"name\": ")
        .send()
        .await;
    assert!(malformed.is_problem(400), "{malformed:?}");
    let not_json = app
        .post("/api/v1/accounts")
        .auth(&admin.token)
        .raw("text/plain", "name=x")
        .send()
        .await;
    assert!(
        not_json.is_problem(415) || not_json.is_problem(400),
        "{not_json:?}"
    );
    let bad_query = app
        .get("/api/v1/accounts?limit=lots")
        .auth(&admin.token)
        .send()
        .await;
    assert!(bad_query.is_problem(400), "{bad_query:?}");
    let bad_id = app
        .get("/api/v1/accounts/not-a-uuid")
        .auth(&admin.token)
        .send()
        .await;
    assert!(bad_id.is_problem(404), "{bad_id:?}");
    let unknown_api = app
        .get("/api/v1/nothing-here")
        .auth(&admin.token)
        .send()
        .await;
    assert!(unknown_api.is_problem(404), "{unknown_api:?}");
    let unknown = app.get("/no/such/page").send().await;
    assert!(
        unknown.is_problem(404),
        "without a built SPA, other paths are 404 problems too: {unknown:?}"
    );
    let wrong_method = app
        .call(reqwest::Method::PUT, "/api/v1/accounts")
        .auth(&admin.token)
        .send()
        .await;
    assert!(
        wrong_method.status == 404 || wrong_method.status == 405,
        "{wrong_method:?}"
    );
    assert!(wrong_method.header("content-type") == Some("application/problem+json"));
    let huge = app
        .post("/api/v1/accounts")
        .auth(&admin.token)
        .raw(
            "application/json",
            &format!("{{\"name\": \"{}\"}}", "x".repeat(2 << 20)),
        )
        .send()
        .await;
    assert!(huge.is_problem(413), "{:?}", huge.status);

    for res in [&malformed, &bad_query, &unknown_api] {
        let id = res
            .header("x-request-id")
            .expect("every response carries a request id");
        assert!(!id.is_empty());
        let text = res.body.to_string();
        for leak in ["diesel", "serde", "actix", "panicked", "src/"] {
            assert!(!text.contains(leak), "no internals in {text}");
        }
    }
    let given = app
        .get("/health")
        .header("x-request-id", "trace-me-123")
        .send()
        .await;
    assert_eq!(
        given.header("x-request-id"),
        Some("trace-me-123"),
        "a caller's request id is kept"
    );
}
