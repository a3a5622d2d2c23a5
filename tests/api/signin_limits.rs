//! Sign-in and sign-up limits: shared by all nodes (PostgreSQL), per account *and* address so an
//! attacker cannot lock the owner out, and a sign-up that does not reveal registered e-mails.

use serde_json::json;
use std::net::{IpAddr, Ipv4Addr};
use testkit::{Res, TestApp, PASSWORD};

fn address(last: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(127, 0, 0, last))
}

async fn sign_in(app: &TestApp, email: &str, password: &str) -> Res {
    app.post("/api/v1/auth/login")
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
}

fn retry_after(res: &Res) -> u64 {
    res.header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds")
}

#[tokio::test]
async fn two_nodes_count_against_one_sign_in_limit() {
    let one = TestApp::spawn_with(|s| s.login_per_account = 4).await;
    let two = one.another_node();
    let admin = one.signup("A").await;
    for node in [&one, &two, &one, &two] {
        assert_eq!(
            sign_in(node, &admin.email, "wrong-password").await.status,
            401
        );
    }
    for node in [&one, &two] {
        let limited = sign_in(node, &admin.email, PASSWORD).await;
        assert!(
            limited.is_problem(429),
            "4 attempts across two nodes reach the limit of 4: {limited:?}"
        );
        assert!((1..=300).contains(&retry_after(&limited)));
    }
}

#[tokio::test]
async fn wrong_passwords_from_one_address_do_not_lock_the_owner_out() {
    let app = TestApp::spawn_with(|s| s.login_per_account = 3).await;
    let admin = app.signup("A").await;
    let attacker = app.from_address(address(2));
    for _ in 0..3 {
        assert_eq!(
            sign_in(&attacker, &admin.email, "guess-123456")
                .await
                .status,
            401
        );
    }
    let stopped = sign_in(&attacker, &admin.email, "guess-7890123").await;
    assert!(stopped.is_problem(429), "{stopped:?}");
    // The owner, from their own address, signs in as usual.
    let owner = sign_in(&app, &admin.email, PASSWORD).await;
    assert_eq!(owner.status, 200, "{owner:?}");
    // And a few typos of their own are forgiven by that success.
    for _ in 0..2 {
        assert_eq!(
            sign_in(&app, &admin.email, "typo-password").await.status,
            401
        );
    }
    assert_eq!(sign_in(&app, &admin.email, PASSWORD).await.status, 200);
    assert_eq!(
        sign_in(&app, &admin.email, "typo-password").await.status,
        401
    );
    assert_eq!(sign_in(&app, &admin.email, PASSWORD).await.status, 200);
}

#[tokio::test]
async fn an_attack_from_many_addresses_meets_the_account_wide_ceiling() {
    let app = TestApp::spawn_with(|s| {
        s.login_per_account = 2;
        s.login_per_account_total = 6;
    })
    .await;
    // Signing up signs in once: one of the six.
    let admin = app.signup("A").await;
    // Five attempts get through from three addresses (2 + 2 + 1) ...
    for (n, last) in [2, 2, 3, 3, 4].into_iter().enumerate() {
        let res = sign_in(&app.from_address(address(last)), &admin.email, "guess-1234").await;
        assert_eq!(res.status, 401, "attempt {n}: {res:?}");
    }
    // ... and the account-wide ceiling stops the sixth, wherever it comes from.
    let sixth = sign_in(&app.from_address(address(5)), &admin.email, "guess-1234").await;
    assert!(sixth.is_problem(429), "{sixth:?}");
    // Attempts an address's own limit refused do not count towards the account's ceiling
    // (six: the sign-in of add_user, two let through, and the owner's below).
    let other = app.add_user(&admin, "sales", None).await;
    let lone = app.from_address(address(6));
    assert_eq!(sign_in(&lone, &other.email, "guess-1").await.status, 401);
    assert_eq!(sign_in(&lone, &other.email, "guess-2").await.status, 401);
    for _ in 0..6 {
        assert!(sign_in(&lone, &other.email, "guess-3")
            .await
            .is_problem(429));
    }
    assert_eq!(
        sign_in(&app, &other.email, PASSWORD).await.status,
        200,
        "refused attempts did not use up the account-wide ceiling"
    );
}

#[tokio::test]
async fn sign_up_is_limited_per_address() {
    let app = TestApp::spawn_with(|s| s.signup_per_address = 2).await;
    let body = |n: u32| {
        json!({"organization_name": format!("公司{n}"), "name": "王芳",
               "email": format!("owner{n}@example.com"), "password": PASSWORD})
    };
    for n in 0..2 {
        let res = app.post("/api/v1/auth/signup").json(&body(n)).send().await;
        assert_eq!(res.status, 202, "{res:?}");
    }
    let limited = app.post("/api/v1/auth/signup").json(&body(2)).send().await;
    assert!(limited.is_problem(429), "{limited:?}");
    assert!((1..=3600).contains(&retry_after(&limited)));
    let elsewhere = app
        .from_address(address(7))
        .post("/api/v1/auth/signup")
        .json(&body(3))
        .send()
        .await;
    assert_eq!(elsewhere.status, 202, "another address has its own count");
}

#[tokio::test]
async fn sign_up_answers_a_registered_email_like_a_new_one() {
    let app = TestApp::spawn().await;
    let admin = app.signup("先来的公司").await;
    let fresh = app
        .post("/api/v1/auth/signup")
        .json(&json!({"organization_name": "新公司", "name": "李雷",
                      "email": "new-owner@example.com", "password": PASSWORD}))
        .send()
        .await;
    let taken = app
        .post("/api/v1/auth/signup")
        .json(&json!({"organization_name": "冒名公司", "name": "X",
                      "email": admin.email.to_uppercase(), "password": "another-password-1"}))
        .send()
        .await;
    assert_eq!(fresh.status, 202, "{fresh:?}");
    assert_eq!(taken.status, fresh.status, "{taken:?}");
    assert_eq!(taken.body, fresh.body, "the same answer");
    assert!(fresh.body.get("access_token").is_none());
    // Nothing changed for the registered e-mail: its password and organization are the old ones.
    assert_eq!(
        sign_in(&app, &admin.email, "another-password-1")
            .await
            .status,
        401
    );
    let me = app.get("/api/v1/me").auth(&admin.token).send().await;
    assert_eq!(me.body["organization"]["name"], "先来的公司");
    // The new e-mail's organization is ready.
    assert_eq!(
        sign_in(&app, "new-owner@example.com", PASSWORD)
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn simultaneous_wrong_passwords_are_counted_one_by_one() {
    let app = TestApp::spawn_with(|s| s.login_per_account = 3).await;
    let admin = app.signup("并发登录").await;
    let attempts = (0..10).map(|i| {
        let password = format!("guess-{i}-123456");
        let app = &app;
        let email = admin.email.clone();
        async move { sign_in(app, &email, &password).await }
    });
    let responses = futures::future::join_all(attempts).await;
    let count = |status| responses.iter().filter(|r| r.status == status).count();
    assert_eq!(
        (count(401), count(429)),
        (3, 7),
        "the limit counts every attempt, however many arrive at once: {responses:?}"
    );
}
