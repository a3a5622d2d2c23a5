//! Sending: signed messages carrying the record as the change left it, the retry schedule, the
//! order of each record's messages, nothing for a rolled-back write, an endpoint turned off
//! after a delivery failed every attempt, and two senders sharing the queue.

use super::{add_endpoint, deliveries, quiet_app, send_at, sender, signed_by, Receiver};
use api::jobs::Clock;
use chrono::{Duration, Utc};
use futures::future::join;
use serde_json::json;
use std::sync::Arc;
use testkit::TestApp;

/// A moment just after the test's writes, in whole seconds (as the log's times compare).
fn soon() -> chrono::DateTime<Utc> {
    chrono::DateTime::from_timestamp(Utc::now().timestamp() + 1, 0).expect("time")
}

#[tokio::test]
async fn the_servers_sender_delivers_a_change_signed_with_the_record_as_it_was() {
    let app = TestApp::spawn().await;
    let admin = app.signup("钩子").await;
    let hook = Receiver::always(204);
    let (endpoint, secret) = add_endpoint(&app, &admin, &hook.url, &["account.*"]).await;
    let account = app
        .add_account(
            &admin,
            json!({"name": "宁波港城贸易有限公司", "employees": 80}),
        )
        .await;
    let id = account["id"].as_str().expect("id");
    let res = app
        .patch(&format!("/api/v1/accounts/{id}"))
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({"name": "宁波港城国际贸易有限公司"}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    // The write wakes the server's sender; its messages arrive within moments.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while hook.messages().len() < 2 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let got = hook.messages();
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got.iter().all(|g| signed_by(g, &secret)), "{got:?}");
    assert!(got
        .iter()
        .all(|g| !signed_by(g, "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")));
    assert_eq!(got[0].kind(), "account.created");
    assert_eq!(got[1].kind(), "account.updated");
    // Each message tells of its own moment: the first still has the old name.
    assert_eq!(
        got[0].body["data"]["object"]["name"],
        "宁波港城贸易有限公司"
    );
    assert_eq!(
        got[1].body["data"]["object"]["name"],
        "宁波港城国际贸易有限公司"
    );
    assert_eq!(got[1].body["data"]["actor_id"], json!(admin.user_id));
    let changes = got[1].body["data"]["changes"].as_array().expect("changes");
    assert!(
        changes
            .iter()
            .any(|c| c["field"] == "name" && c["old"] == "宁波港城贸易有限公司"),
        "{changes:?}"
    );
    assert!(got.iter().all(|g| g.record() == id));
    // The webhook-timestamp is the sending time, within the receivers' usual 5-minute tolerance.
    assert!(got
        .iter()
        .all(|g| (g.timestamp - Utc::now().timestamp()).abs() < 300));
    let log = deliveries(&app, &admin, endpoint, "").await;
    assert_eq!(log.len(), 2);
    assert!(log
        .iter()
        .all(|d| d["state"] == "delivered" && d["last_status"] == 204));
    assert!(log.iter().all(|d| d["last_latency_ms"].as_i64().is_some()));
    // The log keeps the message exactly as it was sent.
    let detail = app
        .get(&format!(
            "/api/v1/webhooks/{endpoint}/deliveries/{}",
            log[1]["id"].as_str().expect("id")
        ))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(detail.status, 200, "{detail:?}");
    assert_eq!(detail.body["payload"], got[0].body);
    assert_eq!(detail.body["attempts_log"][0]["status"], 204);
    assert_eq!(detail.body["message_id"].as_str(), Some(got[0].id.as_str()));
}

#[tokio::test]
async fn a_failing_receiver_is_retried_on_the_schedule_until_it_answers() {
    let app = quiet_app().await;
    let admin = app.signup("重试").await;
    // Fails twice, then takes the message.
    let hook = Receiver::start(Arc::new(|_, before| if before < 2 { 503 } else { 200 }));
    let (endpoint, secret) = add_endpoint(&app, &admin, &hook.url, &["contact.created"]).await;
    let res = app
        .post("/api/v1/contacts?force=true")
        .auth(&admin.token)
        .json(&json!({"name": "周晓梅", "phones": ["13800138000"]}))
        .send()
        .await;
    assert_eq!(res.status, 201, "{res:?}");
    let t0 = soon();
    let clock = Clock::fixed(t0);
    let s = sender(&app, &clock);
    assert_eq!(send_at(&s, &clock, t0).await, 1, "sent at once");
    assert_eq!(send_at(&s, &clock, t0 + Duration::seconds(4)).await, 0);
    let t1 = t0 + Duration::seconds(5);
    assert_eq!(send_at(&s, &clock, t1).await, 1, "again after 5 s");
    assert_eq!(send_at(&s, &clock, t1 + Duration::seconds(299)).await, 0);
    let t2 = t1 + Duration::seconds(300);
    assert_eq!(send_at(&s, &clock, t2).await, 1, "again after 5 min");
    assert_eq!(
        send_at(&s, &clock, t2 + Duration::days(1)).await,
        0,
        "delivered: done"
    );

    let got = hook.messages();
    let answers: Vec<u16> = got.iter().map(|g| g.status).collect();
    assert_eq!(answers, [503, 503, 200]);
    let stamps: Vec<i64> = got.iter().map(|g| g.timestamp).collect();
    assert_eq!(stamps, [t0.timestamp(), t1.timestamp(), t2.timestamp()]);
    // One message: the same webhook-id each time, signed afresh for each timestamp.
    assert!(got
        .iter()
        .all(|g| g.id == got[0].id && signed_by(g, &secret)));
    let log = deliveries(&app, &admin, endpoint, "").await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["state"], "delivered");
    assert_eq!(log[0]["attempts"], 3);
    let detail = app
        .get(&format!(
            "/api/v1/webhooks/{endpoint}/deliveries/{}",
            log[0]["id"].as_str().expect("id")
        ))
        .auth(&admin.token)
        .send()
        .await;
    let attempts = detail.body["attempts_log"].as_array().expect("log").clone();
    let statuses: Vec<i64> = attempts
        .iter()
        .map(|a| a["status"].as_i64().unwrap_or(0))
        .collect();
    assert_eq!(statuses, [503, 503, 200]);
    assert_eq!(attempts[0]["response"], "answered 503");
    assert_eq!(attempts[0]["error"], "answered 503");
}

#[tokio::test]
async fn each_records_messages_arrive_in_order_while_an_earlier_one_is_retried() {
    let app = quiet_app().await;
    let admin = app.signup("顺序").await;
    let first = app
        .add_account(&admin, json!({"name": "厦门鹭岛茶业有限公司"}))
        .await;
    let a = first["id"].as_str().expect("id").to_string();
    // The receiver refuses A's first message once; everything else it takes.
    let refuse = a.clone();
    let hook = Receiver::start(Arc::new(move |g, _| {
        if g.record() == refuse
            && g.kind() == "account.updated"
            && g.body["data"]["object"]["employees"] == 10
        {
            // Only the first attempt of A's first update.
            static ONCE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
            if !ONCE.swap(true, std::sync::atomic::Ordering::SeqCst) {
                return 500;
            }
        }
        200
    }));
    add_endpoint(
        &app,
        &admin,
        &hook.url,
        &["account.updated", "account.created"],
    )
    .await;
    for employees in [10, 20, 30] {
        let res = app
            .patch(&format!("/api/v1/accounts/{a}"))
            .auth(&admin.token)
            .if_match("*")
            .json(&json!({"employees": employees}))
            .send()
            .await;
        assert_eq!(res.status, 200, "{res:?}");
    }
    let second = app
        .add_account(&admin, json!({"name": "泉州海丝陶瓷有限公司"}))
        .await;
    let b = second["id"].as_str().expect("id").to_string();

    let t0 = soon();
    let clock = Clock::fixed(t0);
    let s = sender(&app, &clock);
    // A's first update fails; its later ones wait behind it, while B's creation goes out.
    send_at(&s, &clock, t0).await;
    let got = hook.messages();
    let of = |r: &str, got: &[super::Got]| -> Vec<i64> {
        got.iter()
            .filter(|g| g.record() == r)
            .map(|g| g.body["data"]["object"]["employees"].as_i64().unwrap_or(-1))
            .collect()
    };
    assert_eq!(of(&a, &got), [10], "{got:?}");
    assert_eq!(of(&b, &got).len(), 1, "B does not wait for A");
    // After the retry's 5 s, the rest of A follows in order.
    send_at(&s, &clock, t0 + Duration::seconds(5)).await;
    let got = hook.messages();
    assert_eq!(of(&a, &got), [10, 10, 20, 30], "{got:?}");
    let answered: Vec<u16> = got
        .iter()
        .filter(|g| g.record() == a)
        .map(|g| g.status)
        .collect();
    assert_eq!(answered, [500, 200, 200, 200]);
}

#[tokio::test]
async fn a_write_that_rolls_back_sends_nothing() {
    let app = quiet_app().await;
    let admin = app.signup("回滚钩子").await;
    let hook = Receiver::always(200);
    let (endpoint, _) = add_endpoint(
        &app,
        &admin,
        &hook.url,
        &["account.*", "contact.*", "opportunity.*", "lead.*"],
    )
    .await;
    let lead = app
        .post("/api/v1/leads")
        .auth(&admin.token)
        .json(&json!({"name": "钱七", "company": "温州瓯江电器有限公司"}))
        .send()
        .await;
    assert_eq!(lead.status, 201, "{lead:?}");
    // The conversion creates an account and a contact, then fails creating the deal.
    app.sql(
        "CREATE FUNCTION fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$; \
         CREATE TRIGGER fail BEFORE INSERT ON opportunities FOR EACH ROW EXECUTE FUNCTION fail();",
    )
    .await;
    let res = app
        .post(&format!("/api/v1/leads/{}/convert", lead.str("/id")))
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({"opportunity": {"name": "瓯江电器 年度合同"}}))
        .send()
        .await;
    assert!(res.status >= 500, "{res:?}");
    let clock = Clock::fixed(soon());
    let s = sender(&app, &clock);
    s.run_due().await.expect("send");
    let kinds: Vec<String> = hook
        .messages()
        .iter()
        .map(|g| g.kind().to_string())
        .collect();
    assert_eq!(kinds, ["lead.created"], "only the committed change is sent");
    assert_eq!(deliveries(&app, &admin, endpoint, "").await.len(), 1);
}

#[tokio::test]
async fn a_delivery_that_fails_every_attempt_turns_its_endpoint_off_until_turned_on() {
    let app = quiet_app().await;
    let admin = app.signup("停用").await;
    let hook = Receiver::always(500);
    let (endpoint, _) = add_endpoint(&app, &admin, &hook.url, &["account.created"]).await;
    app.add_account(&admin, json!({"name": "珠海横琴科技有限公司"}))
        .await;
    let clock = Clock::fixed(soon());
    let s = sender(&app, &clock);
    // Attempts at once, then after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h.
    let mut at = clock.now();
    let mut waits = Vec::new();
    for _ in 0..8 {
        assert_eq!(send_at(&s, &clock, at).await, 1);
        let log = deliveries(&app, &admin, endpoint, "").await;
        match log[0]["next_at"].as_str() {
            Some(next) => {
                let next: chrono::DateTime<Utc> = next.parse().expect("time");
                waits.push((next - at).num_seconds());
                at = next;
            }
            None => break,
        }
    }
    assert_eq!(waits, [5, 300, 1800, 7200, 18_000, 36_000, 36_000]);
    assert_eq!(hook.messages().len(), 8);
    let log = deliveries(&app, &admin, endpoint, "state=failed").await;
    assert_eq!(log.len(), 1, "{log:?}");
    let off = app
        .get(&format!("/api/v1/webhooks/{endpoint}"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(off.body["enabled"], false, "{off:?}");
    assert!(
        off.str("/disabled_reason").contains("8 attempts"),
        "{off:?}"
    );
    // Whoever added it is told (the URL's path and query, which may hold a token, are not).
    let told = app
        .get("/api/v1/notifications?kind=webhook_disabled")
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(told.data().len(), 1, "{told:?}");
    assert_eq!(told.data()[0]["entity_id"], json!(endpoint));
    let title = told.data()[0]["title"]["en"].as_str().expect("title");
    assert!(
        title.contains("127.0.0.1") && !title.contains("token"),
        "{title}"
    );
    // While off, changes queue nothing.
    app.add_account(&admin, json!({"name": "中山翠亨五金有限公司"}))
        .await;
    assert_eq!(deliveries(&app, &admin, endpoint, "").await.len(), 1);
    // Turned on again, it gets the next change (and its reason is gone).
    let on = app
        .patch(&format!("/api/v1/webhooks/{endpoint}"))
        .auth(&admin.token)
        .if_match(&off.etag())
        .json(&json!({"enabled": true}))
        .send()
        .await;
    assert_eq!(on.status, 200, "{on:?}");
    assert!(on.body["disabled_reason"].is_null());
    app.add_account(&admin, json!({"name": "江门侨乡食品有限公司"}))
        .await;
    assert_eq!(
        deliveries(&app, &admin, endpoint, "state=pending")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn two_senders_share_the_queue_and_send_each_message_once() {
    let app = quiet_app().await;
    let admin = app.signup("并发发送").await;
    let hook = Receiver::always(200);
    add_endpoint(&app, &admin, &hook.url, &["account.created"]).await;
    for i in 0..40 {
        app.add_account(
            &admin,
            json!({"name": format!("并发测试客户{i}号有限公司")}),
        )
        .await;
    }
    let clock = Clock::fixed(soon());
    let (a, b) = (sender(&app, &clock), sender(&app, &clock));
    let (sa, sb) = join(a.run_due(), b.run_due()).await;
    assert_eq!(sa.expect("a") + sb.expect("b"), 40);
    let mut ids: Vec<String> = hook.messages().into_iter().map(|g| g.id).collect();
    assert_eq!(ids.len(), 40);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 40, "no message twice");
}
