//! Team-chat bots against receivers on 127.0.0.1 that check each platform's signature with an
//! HMAC of their own: notices are posted one each within the platform's rate limit, the
//! overflow is one digest and nothing is lost, the rest waits for the next minute; a member who
//! keeps their notices out of the team chat is not posted; admins only.

use crate::webhooks::{quiet_app, send_at, sender, Got, Receiver};
use api::jobs::Clock;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::Arc;
use testkit::{Session, TestApp};

const OK: Option<&str> = Some(r#"{"errcode":0,"errmsg":"ok"}"#);

fn hmac_b64(key: &[u8], message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("key");
    mac.update(message);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// DingTalk 加签: `timestamp` (ms) and `sign` = base64 HMAC-SHA256 of `timestamp\nsecret`.
fn dingtalk_signed(got: &Got, secret: &str) -> bool {
    let url = reqwest::Url::parse(&format!("http://x{}", got.path)).expect("url");
    let q: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
    let Some(ts) = q.get("timestamp") else {
        return false;
    };
    q.get("sign")
        == Some(&hmac_b64(
            secret.as_bytes(),
            format!("{ts}\n{secret}").as_bytes(),
        ))
        && q.get("access_token").map(String::as_str) == Some("robot-token")
}

async fn add_bot(app: &TestApp, admin: &Session, body: Value) -> Value {
    let res = app
        .post("/api/v1/chat-bots")
        .auth(&admin.token)
        .json(&body)
        .send()
        .await;
    assert_eq!(res.status, 201, "{res:?}");
    assert!(res.body.get("secret").is_none(), "never shown: {res:?}");
    res.body
}

/// Gives `rep` `n` accounts made by `admin`: a notice each.
async fn give_accounts(app: &TestApp, admin: &Session, rep: &Session, from: usize, n: usize) {
    for i in from..from + n {
        let account = app
            .add_account(admin, json!({"name": format!("群通知客户{i}号有限公司")}))
            .await;
        let res = app
            .patch(&format!(
                "/api/v1/accounts/{}",
                account["id"].as_str().expect("id")
            ))
            .auth(&admin.token)
            .if_match("*")
            .json(&json!({"owner_id": rep.user_id}))
            .send()
            .await;
        assert_eq!(res.status, 200, "{res:?}");
    }
}

fn text(got: &Got) -> String {
    got.body["text"]["content"]
        .as_str()
        .or_else(|| got.body["content"]["text"].as_str())
        .unwrap_or_default()
        .to_string()
}

fn soon() -> DateTime<Utc> {
    DateTime::from_timestamp(Utc::now().timestamp() + 1, 0).expect("time")
}

#[tokio::test]
async fn notices_go_out_signed_within_the_rate_limit_and_the_overflow_is_one_digest() {
    let app = quiet_app().await;
    let admin = app.signup("钉钉群").await;
    let rep = app.add_user(&admin, "sales", None).await;
    let hook = Receiver::answering(Arc::new(|_, _| 200), OK);
    let url = hook.url.replace(
        "/hooks/kehu?token=receiver-secret",
        "/robot/send?access_token=robot-token",
    );
    add_bot(
        &app,
        &admin,
        json!({"platform": "dingtalk", "name": "华东销售群", "url": url, "secret": "SECtest-secret",
               "kinds": ["records_transferred"]}),
    )
    .await;
    give_accounts(&app, &admin, &rep, 0, 30).await;
    let t0 = soon();
    let clock = Clock::fixed(t0);
    let s = sender(&app, &clock);
    assert_eq!(
        send_at(&s, &clock, t0).await,
        20,
        "DingTalk takes 20 a minute"
    );
    let got = hook.messages();
    assert_eq!(got.len(), 20);
    assert!(
        got.iter().all(|g| dingtalk_signed(g, "SECtest-secret")),
        "{got:?}"
    );
    assert!(!dingtalk_signed(&got[0], "SECother"));
    let texts: Vec<String> = got.iter().map(text).collect();
    assert!(texts[19].starts_with("另有 11 条通知："), "{}", texts[19]);
    // Every notice once, the digest's in it, none lost.
    for i in 0..30 {
        let name = format!("群通知客户{i}号有限公司");
        let times: usize = texts.iter().map(|t| t.matches(&name).count()).sum();
        assert_eq!(times, 1, "{name} in {texts:?}");
    }
    // Within the same minute, new notices wait; after it, they go out one each.
    give_accounts(&app, &admin, &rep, 30, 2).await;
    assert_eq!(send_at(&s, &clock, t0 + Duration::seconds(30)).await, 0);
    assert_eq!(send_at(&s, &clock, t0 + Duration::seconds(61)).await, 2);
    let got = hook.messages();
    assert_eq!(got.len(), 22);
    assert!(text(&got[21]).contains("群通知客户31号有限公司"));
}

#[tokio::test]
async fn feishu_and_wecom_posts_have_their_shapes_and_preferences_are_honoured() {
    let app = quiet_app().await;
    let admin = app.signup("飞书群").await;
    let rep = app.add_user(&admin, "sales", None).await;
    let quiet = app.add_user(&admin, "sales", None).await;
    let feishu = Receiver::answering(Arc::new(|_, _| 200), Some(r#"{"code":0,"msg":"success"}"#));
    let wecom = Receiver::answering(Arc::new(|_, _| 200), OK);
    let kinds = json!(["records_transferred"]);
    add_bot(&app, &admin, json!({"platform": "feishu", "name": "飞书", "url": feishu.url, "secret": "fs-secret", "kinds": kinds})).await;
    add_bot(
        &app,
        &admin,
        json!({"platform": "wecom", "name": "企微", "url": wecom.url, "kinds": kinds}),
    )
    .await;
    // One member keeps their notices out of the team chat (they still get them in the app).
    let res = app
        .call(reqwest::Method::PUT, "/api/v1/notification-preferences")
        .auth(&quiet.token)
        .json(&json!({"data": [{"kind": "records_transferred", "channel": "team_chat", "enabled": false}]}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    give_accounts(&app, &admin, &rep, 0, 1).await;
    give_accounts(&app, &admin, &quiet, 1, 1).await;
    let t0 = soon();
    let clock = Clock::fixed(t0);
    sender(&app, &clock).run_due().await.expect("send");
    let (f, w) = (feishu.messages(), wecom.messages());
    assert_eq!((f.len(), w.len()), (1, 1), "{f:?} {w:?}");
    let ts = f[0].body["timestamp"].as_str().expect("timestamp");
    assert_eq!(ts, t0.timestamp().to_string());
    let expect = hmac_b64(format!("{ts}\nfs-secret").as_bytes(), b"");
    assert_eq!(f[0].body["sign"], expect, "Feishu 签名校验");
    assert_eq!(f[0].body["msg_type"], "text");
    assert!(text(&f[0]).contains("群通知客户0号有限公司"));
    assert_eq!(w[0].body["msgtype"], "text");
    assert!(!text(&w[0]).contains("群通知客户1号有限公司"));
    let inbox = app
        .get("/api/v1/notifications")
        .auth(&quiet.token)
        .send()
        .await;
    assert_eq!(inbox.data().len(), 1, "still in the app");
}

#[tokio::test]
async fn a_refused_post_is_tried_again_and_only_admins_manage_bots() {
    let app = quiet_app().await;
    let admin = app.signup("重发群").await;
    let rep = app.add_user(&admin, "sales", None).await;
    // The platform answers 200 but refuses the post in its JSON (rate limited).
    let refusing = Receiver::answering(
        Arc::new(|_, _| 200),
        Some(r#"{"errcode":45009,"errmsg":"api freq out of limit"}"#),
    );
    let bot = add_bot(
        &app,
        &admin,
        json!({"platform": "wecom", "name": "企微", "url": refusing.url, "kinds": ["records_transferred"]}),
    )
    .await;
    give_accounts(&app, &admin, &rep, 0, 1).await;
    let t0 = soon();
    let clock = Clock::fixed(t0);
    let s = sender(&app, &clock);
    s.run_due().await.expect("send");
    s.run_due().await.expect("send");
    assert_eq!(refusing.messages().len(), 2, "refused, so tried again");
    for (who, status) in [(&rep, 403)] {
        let res = app.get("/api/v1/chat-bots").auth(&who.token).send().await;
        assert_eq!(res.status, status);
    }
    let other = app.signup("别的公司").await;
    let path = format!("/api/v1/chat-bots/{}", bot["id"].as_str().expect("id"));
    assert_eq!(app.get(&path).auth(&other.token).send().await.status, 404);
    let bad = app
        .post("/api/v1/chat-bots")
        .auth(&admin.token)
        .json(
            &json!({"platform": "wecom", "name": "x", "url": "ftp://x", "kinds": ["task_overdue"]}),
        )
        .send()
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(bad.body["errors"][0]["field"], "url");
    let bad = app
        .post("/api/v1/chat-bots")
        .auth(&admin.token)
        .json(&json!({"platform": "slack", "name": "x", "url": "https://x.example.com", "kinds": ["task_overdue"]}))
        .send()
        .await;
    assert_eq!(bad.status, 422, "{bad:?}");
    // Turned off, it posts nothing; removed, it is gone.
    let res = app
        .patch(&path)
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({"enabled": false, "secret": null}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    assert_eq!(res.body["enabled"], false);
    s.run_due().await.expect("send");
    assert_eq!(refusing.messages().len(), 2);
    assert_eq!(
        app.delete(&path).auth(&admin.token).send().await.status,
        204
    );
    assert_eq!(app.get(&path).auth(&admin.token).send().await.status, 404);
}

#[tokio::test]
async fn two_senders_post_each_notice_once_between_them() {
    let app = quiet_app().await;
    let admin = app.signup("并发群").await;
    let rep = app.add_user(&admin, "sales", None).await;
    let hook = Receiver::answering(Arc::new(|_, _| 200), OK);
    add_bot(
        &app,
        &admin,
        json!({"platform": "feishu", "name": "飞书", "url": hook.url, "kinds": ["records_transferred"]}),
    )
    .await;
    give_accounts(&app, &admin, &rep, 0, 10).await;
    let clock = Clock::fixed(soon());
    let (a, b) = (sender(&app, &clock), sender(&app, &clock));
    let (sa, sb) = futures::future::join(a.run_due(), b.run_due()).await;
    assert_eq!(sa.expect("a") + sb.expect("b"), 10);
    let texts: Vec<String> = hook.messages().iter().map(text).collect();
    for i in 0..10 {
        let name = format!("群通知客户{i}号有限公司");
        assert_eq!(
            texts.iter().filter(|t| t.contains(&name)).count(),
            1,
            "{texts:?}"
        );
    }
}
