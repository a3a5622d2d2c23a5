//! Webhooks in the SPA: an admin adds an endpoint pointing at a receiver in the test (a bad
//! URL and no events are refused on their inputs first), sees its secret once and the
//! receiver's messages are signed with it; a test event sent from the page and an account made
//! through the API show as delivered in the endpoint's log, whose entries open to the message
//! and its attempts and are redelivered with the same `webhook-id`. Turning the endpoint off,
//! rotating its secret and deleting it (asked once more) are on the same page.

use crate::browser::Ui;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a message may take to reach the receiver (the server's sender runs at once).
const PATIENCE: Duration = Duration::from_secs(20);

/// One message as the receiver got it.
#[derive(Debug, Clone)]
struct Got {
    id: String,
    timestamp: String,
    signature: String,
    raw: Vec<u8>,
    body: Value,
}

/// A receiver on 127.0.0.1 that answers 200 and keeps what it got.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<Got>>>,
    _server: actix_web::dev::ServerHandle,
}

impl Receiver {
    fn start() -> Receiver {
        let got: Arc<Mutex<Vec<Got>>> = Arc::default();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let seen = got.clone();
        let server = HttpServer::new(move || {
            let seen = seen.clone();
            App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
                let seen = seen.clone();
                async move {
                    let header = |n: &str| {
                        req.headers()
                            .get(n)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_string()
                    };
                    seen.lock().expect("lock").push(Got {
                        id: header("webhook-id"),
                        timestamp: header("webhook-timestamp"),
                        signature: header("webhook-signature"),
                        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                        raw: body.to_vec(),
                    });
                    HttpResponse::Ok().body("ok")
                }
            }))
        })
        .workers(1)
        .listen(listener)
        .expect("listen")
        .run();
        let handle = server.handle();
        tokio::spawn(server);
        Receiver {
            url: format!("http://127.0.0.1:{port}/hooks/kehu"),
            got,
            _server: handle,
        }
    }

    /// The messages of `kind` got so far.
    fn of(&self, kind: &str) -> Vec<Got> {
        let got = self.got.lock().expect("lock");
        got.iter()
            .filter(|g| g.body["type"] == kind)
            .cloned()
            .collect()
    }

    /// Waits until `n` messages of `kind` arrived; returns them.
    async fn wait_for(&self, kind: &str, n: usize) -> Vec<Got> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let got = self.of(kind);
            if got.len() >= n {
                return got;
            }
            assert!(
                Instant::now() < deadline,
                "{n} `{kind}` messages never arrived; got {got:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// Whether one of the message's signatures is HMAC-SHA256 of `id.timestamp.body` by `secret`
/// (computed here, not by the server's code).
fn signed_by(got: &Got, secret: &str) -> bool {
    let b64 = base64::engine::general_purpose::STANDARD;
    let key = b64
        .decode(secret.strip_prefix("whsec_").expect("a whsec_ secret"))
        .expect("base64 secret");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("key");
    mac.update(format!("{}.{}.", got.id, got.timestamp).as_bytes());
    mac.update(&got.raw);
    let expected = format!("v1,{}", b64.encode(mac.finalize().into_bytes()));
    got.signature.split(' ').any(|s| s == expected)
}

/// The secret the page shows (an input's value, to select and copy).
async fn shown_secret(ui: &Ui) -> String {
    ui.find("#webhook-secret").await;
    let v = ui
        .js(
            "return document.querySelector('#webhook-secret').value",
            vec![],
        )
        .await;
    v.as_str().unwrap_or_default().to_string()
}

/// Reads the log again until a delivery of `kind` is listed; returns its row's selector.
async fn wait_listed(ui: &Ui, kind: &str) -> String {
    let row = format!("#deliveries-table tr.delivery-row[data-event='{kind}']");
    let deadline = Instant::now() + PATIENCE;
    while ui.count(&row).await == 0 {
        assert!(Instant::now() < deadline, "no `{kind}` delivery listed");
        ui.click("#refresh-deliveries").await;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    row
}

#[tokio::test]
async fn an_admin_adds_a_webhook_sees_its_secret_once_and_its_deliveries() {
    let Some(ui) = Ui::start().await else { return };
    let receiver = Receiver::start();
    ui.sign_in().await;
    ui.goto("/admin/settings").await;
    ui.click("#webhooks-link").await;
    ui.wait_path("/admin/webhooks").await;
    ui.wait_text("#no-webhooks", "还没有").await;

    // Events are chosen by entity; nothing chosen and a non-http URL are refused on their inputs.
    ui.click("#new-webhook").await;
    ui.wait_text(".event-group[data-entity='account'] legend", "客户")
        .await;
    ui.wait_text(".event-group[data-entity='contact']", "全部操作")
        .await;
    ui.fill("#f-url", "ftp://127.0.0.1/hooks").await;
    ui.click("#save-webhook").await;
    ui.wait_text(
        ".field[data-field=event_types] .field-error",
        "请至少选择一个事件",
    )
    .await;
    ui.click(".event-group[data-entity='account'] input[data-type='account.*']")
        .await;
    // "All actions" covers (and so fixes) each action of the entity.
    let covered = ui
        .js(
            "const c = document.querySelector(\"input[data-type='account.created']\"); return [c.checked, c.disabled]",
            vec![],
        )
        .await;
    assert_eq!(covered, json!([true, true]));
    ui.click("input[data-type='contact.created']").await;
    ui.click("#save-webhook").await;
    ui.wait_text(
        ".field[data-field=url] .field-error",
        "应以 https:// 或 http:// 开头",
    )
    .await;
    ui.shot("webhooks-form-errors").await;
    ui.fill("#f-url", &receiver.url).await;
    ui.fill("#f-description", "ERP 同步").await;
    ui.click("#save-webhook").await;

    // The secret, shown this once.
    ui.wait_text("#webhook-secret-notice", "此密钥不会再次显示")
        .await;
    let secret = shown_secret(&ui).await;
    assert!(secret.starts_with("whsec_"), "{secret}");
    let row = "#webhooks-table tr.webhook-row";
    ui.wait_text(row, "客户：全部操作；联系人：创建").await;
    ui.wait_text(row, "ERP 同步").await;
    ui.wait_text(&format!("{row}[data-enabled='true'] .state"), "启用")
        .await;
    ui.shot("webhooks-secret").await;
    let endpoints = ui.api_get("/api/v1/webhooks").await;
    let endpoint = &endpoints["data"][0];
    assert_eq!(endpoint["url"], json!(receiver.url), "{endpoints}");
    assert_eq!(
        endpoint["event_types"],
        json!(["account.*", "contact.created"]),
        "{endpoints}"
    );
    assert!(endpoint.get("secret").is_none(), "{endpoints}");
    let id = endpoint["id"].as_str().expect("id").to_string();
    ui.click("#secret-saved").await;
    ui.wait_gone("#webhook-secret-notice").await;

    // A test event from the page: delivered, signed with the secret shown.
    ui.click(&format!("{row} button.send-test")).await;
    ui.wait_path(&format!("/admin/webhooks?endpoint={id}"))
        .await;
    ui.wait_text("#test-queued", "测试消息已排队").await;
    let test_row = "#deliveries-table tr.delivery-row[data-event='webhook.test']";
    ui.find(&format!("{test_row}[data-state='delivered']"))
        .await;
    ui.wait_text(test_row, "已送达").await;
    ui.wait_text(&format!("{test_row} td.status"), "200").await;
    ui.wait_text(&format!("{test_row} td.latency"), "ms").await;
    let tests = receiver.wait_for("webhook.test", 1).await;
    assert!(signed_by(&tests[0], &secret), "{:?}", tests[0]);

    // It opens to the message as sent and its one attempt.
    ui.click(&format!("{test_row} button.view-delivery")).await;
    ui.wait_text("#delivery-payload", "webhook.test").await;
    ui.wait_text("#delivery-detail", &tests[0].id).await;
    ui.wait_text(
        "#attempts-table tr.attempt[data-attempt='1'] td.status",
        "200",
    )
    .await;
    ui.shot("webhooks-delivery-detail").await;
    ui.click("#close-delivery").await;
    ui.wait_gone("#delivery-detail").await;

    // An account made through the API: its `account.created` is sent and listed as delivered.
    let account = ui
        .app
        .add_account(&ui.admin, json!({"name": "钩子测试有限公司"}))
        .await;
    let account_id = account["id"].as_str().expect("account id");
    let created = receiver.wait_for("account.created", 1).await;
    assert!(signed_by(&created[0], &secret), "{:?}", created[0]);
    assert_eq!(created[0].body["data"]["id"], json!(account_id));
    let created_row = wait_listed(&ui, "account.created").await;
    ui.find(&format!("{created_row}[data-state='delivered']"))
        .await;
    ui.wait_text(&created_row, "客户 · 创建").await;
    ui.shot("webhooks-deliveries").await;

    // Redelivered: the same message again, with the same webhook-id.
    ui.click(&format!("{created_row} button.redeliver")).await;
    let again = receiver.wait_for("account.created", 2).await;
    assert_eq!(again[1].id, again[0].id);
    assert!(signed_by(&again[1], &secret));

    // In English.
    ui.click(".lang-switch button[data-locale='en']").await;
    ui.wait_text(row, "Account: All actions; Contact: Created")
        .await;
    ui.wait_text("#delivery-log", "Delivered").await;
    ui.shot("webhooks-english").await;
    ui.click(".lang-switch button[data-locale='zh-CN']").await;

    // Turned off, then its secret rotated: a new one shown once, the old one signing a day more.
    ui.click(&format!("{row} button.toggle-webhook")).await;
    ui.wait_text(&format!("{row}[data-enabled='false'] .state"), "已停用")
        .await;
    ui.click(&format!("{row} button.rotate-secret")).await;
    ui.wait_text("#webhook-secret-notice", "新的签名密钥").await;
    let rotated = shown_secret(&ui).await;
    assert!(rotated.starts_with("whsec_") && rotated != secret);
    ui.wait_text(&format!("{row} .previous-secret"), "旧密钥")
        .await;
    ui.click("#secret-saved").await;

    // Edited: on again, with one more event type.
    ui.click(&format!("{row} button.edit-webhook")).await;
    ui.wait_value("#f-description", "ERP 同步").await;
    ui.click("input[data-type='lead.created']").await;
    ui.click("#f-enabled").await;
    ui.click("#save-webhook").await;
    ui.wait_text(row, "线索：创建").await;
    ui.find(&format!("{row}[data-enabled='true']")).await;
    let after = ui.api_get(&format!("/api/v1/webhooks/{id}")).await;
    assert_eq!(
        after["event_types"],
        json!(["account.*", "contact.created", "lead.created"]),
        "{after}"
    );
    assert_eq!(after["enabled"], json!(true));

    // Deleted, once confirmed.
    ui.click(&format!("{row} button.delete-webhook")).await;
    ui.wait_text(&format!("{row} .delete-warning"), "投递记录")
        .await;
    ui.click(&format!("{row} button.confirm-delete")).await;
    ui.wait_text("#no-webhooks", "还没有").await;
    ui.wait_gone("#delivery-log").await;
    let gone = ui
        .app
        .get(&format!("/api/v1/webhooks/{id}"))
        .auth(&ui.admin.token)
        .send()
        .await;
    assert_eq!(gone.status, 404);
    ui.finish().await;
}
