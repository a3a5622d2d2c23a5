//! Sessions end at once: sign-out, a reused refresh token and a password change stop the access
//! tokens of the session too, not only its refresh token; tokens from the future are refused;
//! browsers keep the refresh token in an HttpOnly cookie.

use jsonwebtoken::{decode, encode, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{json, Value};
use testkit::{Session, TestApp, PASSWORD};

async fn me_status(app: &TestApp, token: &str) -> u16 {
    app.get("/api/v1/me").auth(token).send().await.status
}

#[tokio::test]
async fn signing_out_ends_the_access_token_at_once_and_only_that_session() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let laptop = app.login(&admin.email).await;
    // Read once, so the server remembers the caller (the principal cache).
    assert_eq!(me_status(&app, &admin.token).await, 200);
    assert_eq!(me_status(&app, &laptop.token).await, 200);

    let out = app
        .post("/api/v1/auth/logout")
        .json(&json!({"refresh_token": admin.refresh_token}))
        .send()
        .await;
    assert_eq!(out.status, 204);
    assert_eq!(
        me_status(&app, &admin.token).await,
        401,
        "the signed-out session's access token is dead, not valid for 15 more minutes"
    );
    assert_eq!(
        me_status(&app, &laptop.token).await,
        200,
        "another session of the user goes on"
    );
    // Signing in again right away (within the same second) gives a working session.
    let again = app.login(&admin.email).await;
    assert_eq!(me_status(&app, &again.token).await, 200);
}

#[tokio::test]
async fn a_reused_refresh_token_ends_the_access_tokens_of_its_session() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let rotated = app
        .post("/api/v1/auth/refresh")
        .json(&json!({"refresh_token": admin.refresh_token}))
        .send()
        .await;
    assert_eq!(rotated.status, 200, "{rotated:?}");
    let current = rotated.str("/access_token").to_string();
    assert_eq!(me_status(&app, &current).await, 200);

    // A stolen copy of the first refresh token is presented again.
    let reuse = app
        .post("/api/v1/auth/refresh")
        .json(&json!({"refresh_token": admin.refresh_token}))
        .send()
        .await;
    assert!(reuse.is_problem(401), "{reuse:?}");
    for token in [&admin.token, &current] {
        assert_eq!(
            me_status(&app, token).await,
            401,
            "every access token of the session ends with it"
        );
    }
}

#[tokio::test]
async fn a_password_change_ends_the_users_sessions_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let sales = app.add_user(&admin, "sales", None).await;
    assert_eq!(me_status(&app, &sales.token).await, 200);
    let user = app
        .get(&format!("/api/v1/users/{}", sales.user_id))
        .auth(&admin.token)
        .send()
        .await;
    let changed = app
        .patch(&format!("/api/v1/users/{}", sales.user_id))
        .auth(&admin.token)
        .if_match(&user.etag())
        .json(&json!({"password": "a-new-password-456"}))
        .send()
        .await;
    assert_eq!(changed.status, 200, "{changed:?}");
    assert_eq!(me_status(&app, &sales.token).await, 401);
    assert_eq!(me_status(&app, &admin.token).await, 200, "others stay");
}

/// The claims of a token this server issued.
fn claims(app: &TestApp, token: &str) -> Value {
    let mut validation = Validation::default();
    validation.validate_exp = false;
    decode::<Value>(
        token,
        &DecodingKey::from_secret(&app.settings.jwt_secret),
        &validation,
    )
    .expect("decode the token")
    .claims
}

fn signed(app: &TestApp, claims: &Value) -> String {
    encode(
        &Header::default(),
        claims,
        &EncodingKey::from_secret(&app.settings.jwt_secret),
    )
    .expect("sign")
}

#[tokio::test]
async fn tokens_issued_or_valid_only_in_the_future_are_refused() {
    let app = TestApp::spawn().await;
    let admin: Session = app.signup("A").await;
    let real = claims(&app, &admin.token);
    let now = chrono::Utc::now().timestamp();

    // Re-signed as it is, the token works: what follows changes one claim at a time.
    assert_eq!(me_status(&app, &signed(&app, &real)).await, 200);

    let mut future_iat = real.clone();
    future_iat["iat"] = json!(now + 3600);
    future_iat["exp"] = json!(now + 7200);
    assert_eq!(me_status(&app, &signed(&app, &future_iat)).await, 401);

    let mut future_nbf = real.clone();
    future_nbf["nbf"] = json!(now + 3600);
    assert_eq!(me_status(&app, &signed(&app, &future_nbf)).await, 401);

    // A little clock skew between nodes is fine.
    let mut skewed = real.clone();
    skewed["iat"] = json!(now + 3);
    skewed["nbf"] = json!(now + 3);
    assert_eq!(me_status(&app, &signed(&app, &skewed)).await, 200);
}

/// The `kehu_refresh` cookie of a response: its value and attributes.
fn refresh_cookie(res: &testkit::Res) -> (String, String) {
    let header = res
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("kehu_refresh="))
        .unwrap_or_else(|| panic!("no kehu_refresh cookie in {res:?}"))
        .to_string();
    let value = header
        .trim_start_matches("kehu_refresh=")
        .split(';')
        .next()
        .unwrap_or_default()
        .to_string();
    (value, header)
}

#[tokio::test]
async fn browsers_keep_the_refresh_token_in_an_http_only_cookie() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let login = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": admin.email, "password": PASSWORD}))
        .send()
        .await;
    assert_eq!(login.status, 200);
    let (first, attributes) = refresh_cookie(&login);
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/v1/auth"] {
        assert!(
            attributes.contains(attribute),
            "{attribute} in {attributes}"
        );
    }
    assert_eq!(
        login.str("/refresh_token"),
        first,
        "API clients still get the token in the body"
    );

    // The browser refreshes with the cookie alone; the successor comes back in the cookie only.
    let renewed = app
        .post("/api/v1/auth/refresh")
        .header("cookie", &format!("kehu_refresh={first}"))
        .json(&json!({}))
        .send()
        .await;
    assert_eq!(renewed.status, 200, "{renewed:?}");
    assert!(
        renewed.body.get("refresh_token").is_none(),
        "page scripts never see a cookie's refresh token: {}",
        renewed.body
    );
    let (second, _) = refresh_cookie(&renewed);
    assert_ne!(second, first);
    let access = renewed.str("/access_token").to_string();
    assert_eq!(me_status(&app, &access).await, 200);

    // A spent cookie is a reuse: 401, and the cookie is cleared.
    let replay = app
        .post("/api/v1/auth/refresh")
        .header("cookie", &format!("kehu_refresh={first}"))
        .json(&json!({}))
        .send()
        .await;
    assert!(replay.is_problem(401), "{replay:?}");
    let (cleared, attributes) = refresh_cookie(&replay);
    assert!(cleared.is_empty() && attributes.contains("Max-Age=0"));

    // Signing out with the cookie ends that session and clears the cookie.
    let other = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": admin.email, "password": PASSWORD}))
        .send()
        .await;
    let (cookie, _) = refresh_cookie(&other);
    let out = app
        .post("/api/v1/auth/logout")
        .header("cookie", &format!("kehu_refresh={cookie}"))
        .json(&json!({}))
        .send()
        .await;
    assert_eq!(out.status, 204);
    assert!(refresh_cookie(&out).1.contains("Max-Age=0"));
    assert_eq!(me_status(&app, other.str("/access_token")).await, 401);
    let dead = app
        .post("/api/v1/auth/refresh")
        .json(&json!({"refresh_token": cookie}))
        .send()
        .await;
    assert!(dead.is_problem(401));

    // Without a token in the body or a cookie there is nothing to refresh.
    let nothing = app
        .post("/api/v1/auth/refresh")
        .json(&json!({}))
        .send()
        .await;
    assert!(nothing.is_problem(401), "{nothing:?}");
}
