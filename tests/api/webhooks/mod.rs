//! Webhooks, against receivers listening on 127.0.0.1 in the test: every signature is checked
//! here with an HMAC of its own (not the server's code), retries follow the schedule on a clock
//! the test moves, each record's messages arrive in order, a rolled-back write sends nothing,
//! and only admins of the organization see or change endpoints.

mod admin;
mod delivery;

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use api::jobs::Clock;
use api::webhooks::{Policy, Sender};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use testkit::{Session, TestApp};
use uuid::Uuid;

/// One message as the receiver got it.
#[derive(Debug, Clone)]
pub struct Got {
    /// The request's path and query.
    pub path: String,
    pub id: String,
    pub timestamp: i64,
    pub signature: String,
    pub raw: Vec<u8>,
    pub body: Value,
    /// What the receiver answered.
    pub status: u16,
}

impl Got {
    pub fn kind(&self) -> &str {
        self.body["type"].as_str().unwrap_or_default()
    }

    pub fn record(&self) -> &str {
        self.body["data"]["id"].as_str().unwrap_or_default()
    }
}

/// Decides the receiver's answer to a message, given how many it got before it.
pub type Rule = Arc<dyn Fn(&Got, usize) -> u16 + Send + Sync>;

pub struct Receiver {
    pub url: String,
    pub got: Arc<Mutex<Vec<Got>>>,
    _server: actix_web::dev::ServerHandle,
}

impl Receiver {
    /// A receiver answering each message with what `rule` says.
    pub fn start(rule: Rule) -> Receiver {
        Receiver::answering(rule, None)
    }

    /// A receiver answering with `body` (a chat platform's JSON), or `answered {status}`.
    pub fn answering(rule: Rule, answer: Option<&'static str>) -> Receiver {
        let got: Arc<Mutex<Vec<Got>>> = Arc::default();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        let (seen, rule2) = (got.clone(), rule.clone());
        let server = HttpServer::new(move || {
            let (seen, rule) = (seen.clone(), rule2.clone());
            App::new().default_service(web::to(move |req: HttpRequest, body: web::Bytes| {
                let (seen, rule) = (seen.clone(), rule.clone());
                async move {
                    let header = |n: &str| {
                        req.headers()
                            .get(n)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or_default()
                            .to_string()
                    };
                    let mut message = Got {
                        path: req
                            .uri()
                            .path_and_query()
                            .map(|p| p.to_string())
                            .unwrap_or_default(),
                        id: header("webhook-id"),
                        timestamp: header("webhook-timestamp").parse().unwrap_or(-1),
                        signature: header("webhook-signature"),
                        body: serde_json::from_slice(&body).unwrap_or(Value::Null),
                        raw: body.to_vec(),
                        status: 0,
                    };
                    let mut seen = seen.lock().expect("lock");
                    message.status = rule(&message, seen.len());
                    let status = message.status;
                    seen.push(message);
                    HttpResponse::build(
                        actix_web::http::StatusCode::from_u16(status).expect("status"),
                    )
                    .content_type("application/json")
                    .body(answer.map_or_else(|| format!("answered {status}"), str::to_string))
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
            url: format!("http://127.0.0.1:{port}/hooks/kehu?token=receiver-secret"),
            got,
            _server: handle,
        }
    }

    pub fn always(status: u16) -> Receiver {
        Receiver::start(Arc::new(move |_, _| status))
    }

    pub fn messages(&self) -> Vec<Got> {
        self.got.lock().expect("lock").clone()
    }
}

/// Whether one of the header's signatures is HMAC-SHA256 of `id.timestamp.body` by `secret`.
pub fn signed_by(got: &Got, secret: &str) -> bool {
    let key = base64::engine::general_purpose::STANDARD
        .decode(secret.strip_prefix("whsec_").expect("whsec_ secret"))
        .expect("base64 secret");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("key");
    mac.update(format!("{}.{}.", got.id, got.timestamp).as_bytes());
    mac.update(&got.raw);
    let expected = format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
    );
    got.signature.split(' ').any(|s| s == expected)
}

/// Adds an endpoint; returns its id and secret.
pub async fn add_endpoint(
    app: &TestApp,
    admin: &Session,
    url: &str,
    types: &[&str],
) -> (Uuid, String) {
    let res = app
        .post("/api/v1/webhooks")
        .auth(&admin.token)
        .json(&json!({"url": url, "event_types": types, "description": "ERP 同步"}))
        .send()
        .await;
    assert_eq!(res.status, 201, "{res:?}");
    (res.uuid("/id"), res.str("/secret").to_string())
}

/// A sender of the test's own, on a clock the test moves (the server's does not send).
pub fn sender(app: &TestApp, clock: &Clock) -> Sender {
    let pool = persistence::db::pool(&app.db.url, 4).expect("pool");
    let policy = Policy {
        private_targets: true,
        send: true,
        timeout: std::time::Duration::from_secs(5),
    };
    Sender::new(pool, clock.clone(), &policy).expect("sender")
}

/// A server whose own sender stays idle, for tests that send at chosen times.
pub async fn quiet_app() -> TestApp {
    TestApp::spawn_with(|s| s.webhooks.send = false).await
}

/// Sends what is due at `at`; returns how many attempts were made.
pub async fn send_at(sender: &Sender, clock: &Clock, at: chrono::DateTime<chrono::Utc>) -> usize {
    clock.set(at);
    sender.run_due().await.expect("send")
}

/// The endpoint's deliveries, newest first.
pub async fn deliveries(app: &TestApp, admin: &Session, endpoint: Uuid, query: &str) -> Vec<Value> {
    let res = app
        .get(&format!("/api/v1/webhooks/{endpoint}/deliveries?{query}"))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    res.data().clone()
}
