//! Managing endpoints: admins only (and keys with the scope), another organization's endpoint is
//! not found, bad URLs and event types are 422s naming the field, a secret is shown once and its
//! rotation signs with both secrets for a day, a test event and a redelivery reach the receiver.

use super::{add_endpoint, deliveries, quiet_app, send_at, sender, signed_by, Receiver};
use api::jobs::Clock;
use chrono::{Duration, Utc};
use serde_json::json;
use testkit::TestApp;

#[tokio::test]
async fn only_the_organizations_admins_see_and_change_endpoints() {
    let app = TestApp::spawn().await;
    let admin = app.signup("管理钩子").await;
    let rep = app.add_user(&admin, "sales", None).await;
    let other = app.signup("别家公司").await;
    let (endpoint, _) =
        add_endpoint(&app, &admin, "https://erp.example.com/hooks", &["lead.*"]).await;
    for (who, status) in [(&rep, 403), (&other, 404)] {
        let path = format!("/api/v1/webhooks/{endpoint}");
        assert_eq!(app.get(&path).auth(&who.token).send().await.status, status);
        let res = app.delete(&path).auth(&who.token).send().await;
        assert_eq!(res.status, status, "{res:?}");
        let res = app
            .get(&format!("{path}/deliveries"))
            .auth(&who.token)
            .send()
            .await;
        assert_eq!(res.status, status, "{res:?}");
    }
    let theirs = app.get("/api/v1/webhooks").auth(&other.token).send().await;
    assert_eq!(theirs.data().len(), 0);
    let rep_list = app.get("/api/v1/webhooks").auth(&rep.token).send().await;
    assert_eq!(rep_list.status, 403);
    // The listing never shows a secret.
    let mine = app.get("/api/v1/webhooks").auth(&admin.token).send().await;
    assert_eq!(mine.data().len(), 1);
    assert!(mine.data()[0].get("secret").is_none(), "{mine:?}");
    let one = app
        .get(&format!("/api/v1/webhooks/{endpoint}"))
        .auth(&admin.token)
        .send()
        .await;
    assert!(one.body.get("secret").is_none());
    // An admin's API key needs the webhooks scope.
    let key = app
        .post("/api/v1/api-keys")
        .auth(&admin.token)
        .json(&json!({"name": "同步", "scopes": ["accounts:read"]}))
        .send()
        .await;
    assert_eq!(key.status, 201, "{key:?}");
    let res = app
        .get("/api/v1/webhooks")
        .auth(key.str("/secret"))
        .send()
        .await;
    assert_eq!(res.status, 403, "{res:?}");
    let key = app
        .post("/api/v1/api-keys")
        .auth(&admin.token)
        .json(&json!({"name": "钩子管理", "scopes": ["webhooks:read"]}))
        .send()
        .await;
    let res = app
        .get("/api/v1/webhooks")
        .auth(key.str("/secret"))
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    let res = app
        .post("/api/v1/webhooks")
        .auth(key.str("/secret"))
        .json(&json!({"url": "https://a.example.com/h", "event_types": ["lead.created"]}))
        .send()
        .await;
    assert_eq!(res.status, 403, "read scope cannot add: {res:?}");
    let gone = app
        .delete(&format!("/api/v1/webhooks/{endpoint}"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(gone.status, 204);
    let again = app
        .get(&format!("/api/v1/webhooks/{endpoint}"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(again.status, 404);
}

#[tokio::test]
async fn bad_urls_and_event_types_are_refused_naming_the_field() {
    // As in production: endpoints may not point at the server's own networks.
    let app = TestApp::spawn_with(|s| s.webhooks.private_targets = false).await;
    let admin = app.signup("校验钩子").await;
    let cases = [
        (
            json!({"url": "ftp://example.com/h", "event_types": ["lead.created"]}),
            "url",
        ),
        (
            json!({"url": "https://user:pw@example.com/h", "event_types": ["lead.created"]}),
            "url",
        ),
        (
            json!({"url": "http://127.0.0.1:9/h", "event_types": ["lead.created"]}),
            "url",
        ),
        (
            json!({"url": "http://169.254.169.254/latest", "event_types": ["lead.created"]}),
            "url",
        ),
        (
            json!({"url": "http://localhost/h", "event_types": ["lead.created"]}),
            "url",
        ),
        (
            json!({"url": "https://example.com/h", "event_types": []}),
            "event_types",
        ),
        (
            json!({"url": "https://example.com/h", "event_types": ["lead.edited"]}),
            "event_types",
        ),
        (
            json!({"url": "https://example.com/h", "event_types": ["*"]}),
            "event_types",
        ),
        (
            json!({"url": "https://example.com/h", "event_types": ["user.created"]}),
            "event_types",
        ),
    ];
    for (body, field) in cases {
        let res = app
            .post("/api/v1/webhooks")
            .auth(&admin.token)
            .json(&body)
            .send()
            .await;
        assert_eq!(res.status, 422, "{body}: {res:?}");
        assert_eq!(res.body["errors"][0]["field"], field, "{body}: {res:?}");
    }
    let (endpoint, _) = add_endpoint(&app, &admin, "https://example.com/h", &["lead.*"]).await;
    let one = app
        .get(&format!("/api/v1/webhooks/{endpoint}"))
        .auth(&admin.token)
        .send()
        .await;
    let res = app
        .patch(&format!("/api/v1/webhooks/{endpoint}"))
        .auth(&admin.token)
        .if_match(&one.etag())
        .json(&json!({"url": "http://10.0.0.8/h"}))
        .send()
        .await;
    assert_eq!(res.status, 422, "{res:?}");
    let stale = app
        .patch(&format!("/api/v1/webhooks/{endpoint}"))
        .auth(&admin.token)
        .if_match("\"99\"")
        .json(&json!({"description": "新的说明"}))
        .send()
        .await;
    assert_eq!(stale.status, 412, "{stale:?}");
    let types = app
        .get("/api/v1/webhooks/event-types")
        .auth(&admin.token)
        .send()
        .await;
    assert!(
        types.data().iter().any(|t| t == "opportunity.updated"),
        "{types:?}"
    );
}

#[tokio::test]
async fn a_rotated_secret_signs_beside_the_new_one_for_a_day() {
    let app = quiet_app().await;
    let admin = app.signup("轮换").await;
    let hook = Receiver::always(200);
    let (endpoint, old) = add_endpoint(&app, &admin, &hook.url, &["account.created"]).await;
    let rotated = app
        .post(&format!("/api/v1/webhooks/{endpoint}/rotate-secret"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(rotated.status, 200, "{rotated:?}");
    let new = rotated.str("/secret").to_string();
    assert_ne!(new, old);
    let until: chrono::DateTime<Utc> = rotated
        .str("/previous_secret_expires_at")
        .parse()
        .expect("time");
    app.add_account(&admin, json!({"name": "佛山南海陶瓷有限公司"}))
        .await;
    let clock = Clock::fixed(Utc::now() + Duration::seconds(1));
    let s = sender(&app, &clock);
    s.run_due().await.expect("send");
    // A day later the old secret no longer signs.
    app.add_account(&admin, json!({"name": "东莞松山湖电子有限公司"}))
        .await;
    send_at(&s, &clock, until + Duration::seconds(1)).await;
    let got = hook.messages();
    assert_eq!(got.len(), 2);
    assert!(
        signed_by(&got[0], &new) && signed_by(&got[0], &old),
        "{got:?}"
    );
    assert!(
        signed_by(&got[1], &new) && !signed_by(&got[1], &old),
        "{got:?}"
    );
}

#[tokio::test]
async fn a_test_event_and_a_redelivery_reach_the_receiver_with_their_ids() {
    let app = quiet_app().await;
    let admin = app.signup("测试事件").await;
    let hook = Receiver::always(200);
    let (endpoint, secret) = add_endpoint(&app, &admin, &hook.url, &["product.*"]).await;
    let test = app
        .post(&format!("/api/v1/webhooks/{endpoint}/test"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(test.status, 202, "{test:?}");
    assert_eq!(test.body["event_type"], "webhook.test");
    let clock = Clock::fixed(Utc::now() + Duration::seconds(1));
    let s = sender(&app, &clock);
    s.run_due().await.expect("send");
    let got = hook.messages();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].kind(), "webhook.test");
    assert_eq!(got[0].id, test.str("/message_id"));
    assert!(signed_by(&got[0], &secret));
    // A pending delivery is on its way already; a delivered one can be sent again.
    let pending = app
        .post(&format!("/api/v1/webhooks/{endpoint}/test"))
        .auth(&admin.token)
        .send()
        .await;
    let res = app
        .post(&format!(
            "/api/v1/webhooks/{endpoint}/deliveries/{}/redeliver",
            pending.str("/id")
        ))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(res.status, 409, "{res:?}");
    let again = app
        .post(&format!(
            "/api/v1/webhooks/{endpoint}/deliveries/{}/redeliver",
            test.str("/id")
        ))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(again.status, 202, "{again:?}");
    assert_eq!(again.str("/message_id"), test.str("/message_id"));
    s.run_due().await.expect("send");
    let got = hook.messages();
    assert_eq!(got.len(), 3);
    assert_eq!(got.iter().filter(|g| g.id == got[0].id).count(), 2);
    assert_eq!(
        got[0].raw,
        got.iter()
            .rev()
            .find(|g| g.id == got[0].id)
            .expect("again")
            .raw
    );
    let log = deliveries(&app, &admin, endpoint, "event_type=webhook.test").await;
    assert_eq!(log.len(), 3);
    let other = app.signup("他人").await;
    let res = app
        .post(&format!("/api/v1/webhooks/{endpoint}/test"))
        .auth(&other.token)
        .send()
        .await;
    assert_eq!(res.status, 404);
}

#[tokio::test]
async fn simultaneous_changes_of_an_endpoint_at_one_version_let_one_through() {
    let app = TestApp::spawn().await;
    let admin = app.signup("并发修改").await;
    let (endpoint, _) = add_endpoint(&app, &admin, "https://erp.example.com/h", &["lead.*"]).await;
    let path = format!("/api/v1/webhooks/{endpoint}");
    let etag = app.get(&path).auth(&admin.token).send().await.etag();
    let tries = (0..8).map(|i| {
        let (app, admin, path, etag) = (&app, &admin, path.clone(), etag.clone());
        async move {
            app.patch(&path)
                .auth(&admin.token)
                .if_match(&etag)
                .json(&json!({"description": format!("说明{i}")}))
                .send()
                .await
                .status
        }
    });
    let statuses = futures::future::join_all(tries).await;
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 412).count(),
        7,
        "{statuses:?}"
    );
    let now = app.get(&path).auth(&admin.token).send().await;
    assert_eq!(now.body["version"], 2);
}
