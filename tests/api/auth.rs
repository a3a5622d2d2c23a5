use serde_json::json;
use testkit::{TestApp, PASSWORD};

#[tokio::test]
async fn signup_gives_an_admin_of_a_new_organization_with_the_default_departments() {
    let app = TestApp::spawn().await;
    let admin = app.signup("深圳市丰泽日用品有限公司").await;
    let me = app.get("/api/v1/me").auth(&admin.token).send().await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["user"]["role"], "admin");
    assert_eq!(me.body["organization"]["name"], "深圳市丰泽日用品有限公司");
    assert!(
        me.body["user"].get("password_hash").is_none(),
        "no secrets in /me"
    );
    let departments = app
        .get("/api/v1/departments")
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(departments.status, 200);
    let names: Vec<&str> = departments
        .data()
        .iter()
        .filter_map(|d| d["name"].as_str())
        .collect();
    for default in ["总经理", "市场销售部", "客户服务部", "行政财务部"] {
        assert!(
            names.contains(&default),
            "the default tree has {default}: {names:?}"
        );
    }

    // A taken e-mail is not revealed: the same answer as a new sign-up (see signin_limits.rs).
    let again = app
        .post("/api/v1/auth/signup")
        .json(&json!({"organization_name": "另一家", "name": "X", "email": admin.email.to_uppercase(), "password": PASSWORD}))
        .send()
        .await;
    assert_eq!(again.status, 202, "{again:?}");
}

#[tokio::test]
async fn login_rejects_wrong_passwords_and_unknown_users_alike() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let wrong = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": admin.email, "password": "not-the-password"}))
        .send()
        .await;
    let unknown = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": "nobody@example.com", "password": PASSWORD}))
        .send()
        .await;
    assert!(wrong.is_problem(401));
    assert!(unknown.is_problem(401));
    assert_eq!(
        wrong.body["detail"], unknown.body["detail"],
        "no account enumeration"
    );
    let upper = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": admin.email.to_uppercase(), "password": PASSWORD}))
        .send()
        .await;
    assert_eq!(upper.status, 200, "emails are case-insensitive");
}

#[tokio::test]
async fn requests_without_a_valid_token_are_401_problems() {
    let app = TestApp::spawn().await;
    let none = app.get("/api/v1/accounts").send().await;
    assert!(none.is_problem(401), "{none:?}");
    assert!(none
        .header("www-authenticate")
        .is_some_and(|h| h.starts_with("Bearer")));
    let garbage = app.get("/api/v1/accounts").auth("not.a.jwt").send().await;
    assert!(garbage.is_problem(401));
    // A token signed by another server (another secret) is refused too.
    let other = TestApp::spawn().await;
    let foreign = other.signup("B").await;
    let res = app.get("/api/v1/me").auth(&foreign.token).send().await;
    assert!(res.is_problem(401));
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_refresh_token_ends_the_session() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let first = app
        .post("/api/v1/auth/refresh")
        .json(&json!({"refresh_token": admin.refresh_token}))
        .send()
        .await;
    assert_eq!(first.status, 200, "{first:?}");
    let rotated = first.str("/refresh_token").to_string();
    assert_ne!(rotated, admin.refresh_token);
    let me = app
        .get("/api/v1/me")
        .auth(first.str("/access_token"))
        .send()
        .await;
    assert_eq!(me.status, 200);

    // The old token again: a stolen copy. 401, and the whole family is revoked.
    let reuse = app
        .post("/api/v1/auth/refresh")
        .json(&json!({"refresh_token": admin.refresh_token}))
        .send()
        .await;
    assert!(reuse.is_problem(401), "{reuse:?}");
    let after = app
        .post("/api/v1/auth/refresh")
        .json(&json!({"refresh_token": rotated}))
        .send()
        .await;
    assert!(
        after.is_problem(401),
        "the rotated token dies with its family: {after:?}"
    );

    // Another session of the same user is unaffected.
    let other = app.login(&admin.email).await;
    let ok = app
        .post("/api/v1/auth/refresh")
        .json(&json!({"refresh_token": other.refresh_token}))
        .send()
        .await;
    assert_eq!(ok.status, 200);
}

#[tokio::test]
async fn logout_revokes_the_refresh_token() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let out = app
        .post("/api/v1/auth/logout")
        .json(&json!({"refresh_token": admin.refresh_token}))
        .send()
        .await;
    assert_eq!(out.status, 204);
    let res = app
        .post("/api/v1/auth/refresh")
        .json(&json!({"refresh_token": admin.refresh_token}))
        .send()
        .await;
    assert!(res.is_problem(401));
}

#[tokio::test]
async fn login_is_rate_limited_per_account_with_retry_after() {
    let app = TestApp::spawn_with(|s| s.login_per_account = 3).await;
    let admin = app.signup("A").await;
    for _ in 0..3 {
        let res = app
            .post("/api/v1/auth/login")
            .json(&json!({"email": admin.email, "password": "wrong-password"}))
            .send()
            .await;
        assert_eq!(res.status, 401);
    }
    let limited = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": admin.email, "password": PASSWORD}))
        .send()
        .await;
    assert!(limited.is_problem(429), "{limited:?}");
    let retry: u64 = limited
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=300).contains(&retry));
    // Other accounts are not locked out by it.
    let other = app.add_user(&admin, "sales", None).await;
    assert!(!other.token.is_empty());
}

#[tokio::test]
async fn admins_manage_users_and_deactivation_ends_access() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let sales = app.add_user(&admin, "sales", None).await;

    let forbidden = app
        .post("/api/v1/users")
        .auth(&sales.token)
        .json(&json!({"email": "x@example.com", "name": "X", "password": PASSWORD, "role": "admin", "department_id": sales.department_id}))
        .send()
        .await;
    assert!(
        forbidden.is_problem(403),
        "only admins create users: {forbidden:?}"
    );

    let taken = app
        .post("/api/v1/users")
        .auth(&admin.token)
        .json(&json!({"email": sales.email, "name": "X", "password": PASSWORD, "role": "sales", "department_id": sales.department_id}))
        .send()
        .await;
    assert!(taken.is_problem(409));

    let invalid = app
        .post("/api/v1/users")
        .auth(&admin.token)
        .json(&json!({"email": "not-an-email", "name": "", "password": "short", "role": "sales", "department_id": sales.department_id}))
        .send()
        .await;
    assert!(invalid.is_problem(422));
    let fields: Vec<&str> = invalid.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    for f in ["email", "name", "password"] {
        assert!(fields.contains(&f), "{f} named in {fields:?}");
    }

    let user = app
        .get(&format!("/api/v1/users/{}", sales.user_id))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(user.status, 200);
    assert!(user.body.get("password_hash").is_none());
    let off = app
        .patch(&format!("/api/v1/users/{}", sales.user_id))
        .auth(&admin.token)
        .if_match(&user.etag())
        .json(&json!({"active": false}))
        .send()
        .await;
    assert_eq!(off.status, 200, "{off:?}");
    assert!(app
        .get("/api/v1/me")
        .auth(&sales.token)
        .send()
        .await
        .is_problem(401));
    let refresh = app
        .post("/api/v1/auth/refresh")
        .json(&json!({"refresh_token": sales.refresh_token}))
        .send()
        .await;
    assert!(refresh.is_problem(401));
    let login = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": sales.email, "password": PASSWORD}))
        .send()
        .await;
    assert!(login.is_problem(401));

    // The last admin cannot demote themself.
    let me = app
        .get(&format!("/api/v1/users/{}", admin.user_id))
        .auth(&admin.token)
        .send()
        .await;
    let demote = app
        .patch(&format!("/api/v1/users/{}", admin.user_id))
        .auth(&admin.token)
        .if_match(&me.etag())
        .json(&json!({"role": "sales"}))
        .send()
        .await;
    assert!(demote.is_problem(409), "{demote:?}");
}

#[tokio::test]
async fn api_keys_are_scoped_hashed_and_revocable() {
    let app = TestApp::spawn().await;
    let admin = app.signup("A").await;
    let created = app
        .post("/api/v1/api-keys")
        .auth(&admin.token)
        .json(&json!({"name": "ERP 同步", "scopes": ["accounts:read"]}))
        .send()
        .await;
    assert_eq!(created.status, 201, "{created:?}");
    let secret = created.str("/secret").to_string();
    assert!(secret.starts_with(created.str("/prefix")));
    let key_id = created.uuid("/id");

    let list = app.get("/api/v1/api-keys").auth(&admin.token).send().await;
    assert_eq!(list.status, 200);
    assert!(
        !list.body.to_string().contains(&secret),
        "the secret is shown once only"
    );

    assert_eq!(
        app.get("/api/v1/accounts")
            .auth(&secret)
            .send()
            .await
            .status,
        200
    );
    let write = app
        .post("/api/v1/accounts")
        .auth(&secret)
        .json(&json!({"name": "用密钥创建"}))
        .send()
        .await;
    assert!(
        write.is_problem(403),
        "read-only key cannot write: {write:?}"
    );

    let bad_scope = app
        .post("/api/v1/api-keys")
        .auth(&admin.token)
        .json(&json!({"name": "x", "scopes": ["everything"]}))
        .send()
        .await;
    assert!(bad_scope.is_problem(422));
    assert_eq!(bad_scope.body["errors"][0]["field"], "scopes");

    let tampered = format!("{}x", &secret[..secret.len() - 1]);
    assert!(app
        .get("/api/v1/accounts")
        .auth(&tampered)
        .send()
        .await
        .is_problem(401));

    let revoke = app
        .delete(&format!("/api/v1/api-keys/{key_id}"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(revoke.status, 204);
    assert!(app
        .get("/api/v1/accounts")
        .auth(&secret)
        .send()
        .await
        .is_problem(401));
}
