//! Notices by e-mail, to an SMTP sink listening on 127.0.0.1 in the test: each notice reaches
//! its recipient once, in the organization's language; `email` turned off for a kind keeps its
//! notices out of the mailbox; a refused send is retried on the schedule, on the test's clock.

use crate::webhooks::{quiet_app, sender};
use api::jobs::Clock;
use api::webhooks::mail::{MailPolicy, Mailer};
use base64::Engine;
use chrono::{Duration, Utc};
use serde_json::json;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A message as the sink received it.
#[derive(Debug, Clone)]
struct Mail {
    to: String,
    data: String,
}

impl Mail {
    /// The text of the body, decoded from its transfer encoding.
    fn text(&self) -> String {
        let (head, body) = self.data.split_once("\r\n\r\n").unwrap_or(("", &self.data));
        let head = head.to_ascii_lowercase();
        if head.contains("content-transfer-encoding: base64") {
            let joined: String = body.split_whitespace().collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(joined)
                .unwrap_or_default();
            return String::from_utf8_lossy(&bytes).into_owned();
        }
        if head.contains("content-transfer-encoding: quoted-printable") {
            let soft = body.replace("=\r\n", "");
            let mut out = Vec::new();
            let bytes = soft.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'=' && i + 2 < bytes.len() {
                    if let Ok(b) = u8::from_str_radix(&soft[i + 1..i + 3], 16) {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                }
                out.push(bytes[i]);
                i += 1;
            }
            return String::from_utf8_lossy(&out).into_owned();
        }
        body.to_string()
    }
}

/// An SMTP server that keeps what it is sent, refusing the first `refuse` recipients (451).
async fn sink(refuse: usize) -> (u16, Arc<Mutex<Vec<Mail>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let got: Arc<Mutex<Vec<Mail>>> = Arc::default();
    let refused = Arc::new(Mutex::new(0usize));
    let kept = got.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (got, refused) = (kept.clone(), refused.clone());
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                let mut to = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-sink\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("MAIL FROM") {
                        b"250 ok\r\n"
                    } else if upper.starts_with("RCPT TO") {
                        let mut n = refused.lock().expect("lock");
                        if *n < refuse {
                            *n += 1;
                            b"451 try again later\r\n"
                        } else {
                            to = line[8..].trim().to_string();
                            b"250 ok\r\n"
                        }
                    } else if upper.starts_with("DATA") {
                        let _ = write.write_all(b"354 go on\r\n").await;
                        let mut data = String::new();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            data.push_str(&l);
                            data.push_str("\r\n");
                        }
                        got.lock().expect("lock").push(Mail {
                            to: to.clone(),
                            data,
                        });
                        b"250 queued\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        return;
                    } else {
                        b"250 ok\r\n"
                    };
                    if write.write_all(reply).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (port, got)
}

fn mailer(port: u16) -> Mailer {
    Mailer::new(&MailPolicy {
        smtp_url: format!("smtp://127.0.0.1:{port}"),
        from: "客户 Kehu <kehu@example.com>".into(),
    })
    .expect("mailer")
}

#[tokio::test]
async fn notices_are_mailed_once_as_preferred_and_retried_when_refused() {
    let app = quiet_app().await;
    let (port, got) = sink(1).await;
    let clock = Clock::fixed(Utc::now());
    let worker = sender(&app, &clock).with_mail(mailer(port));
    let admin = app.signup("邮件通知").await;
    let rep = app.add_user(&admin, "sales", None).await;
    let quiet = app.add_user(&admin, "sales", None).await;
    let prefs = app
        .call(reqwest::Method::PUT, "/api/v1/notification-preferences")
        .auth(&quiet.token)
        .json(&json!({"data": [{"kind": "records_transferred", "channel": "email", "enabled": false}]}))
        .send()
        .await;
    assert_eq!(prefs.status, 200, "{prefs:?}");
    for (who, name) in [
        (&rep, "温州瓯海眼镜有限公司"),
        (&quiet, "台州黄岩模具有限公司"),
    ] {
        let account = app.add_account(&admin, json!({"name": name})).await;
        let res = app
            .patch(&format!(
                "/api/v1/accounts/{}",
                account["id"].as_str().expect("id")
            ))
            .auth(&admin.token)
            .if_match("*")
            .json(&json!({"owner_id": who.user_id}))
            .send()
            .await;
        assert_eq!(res.status, 200, "{res:?}");
    }
    // The first recipient is refused: nothing arrives, and the message waits a minute.
    worker.run_due().await.expect("outbox");
    assert!(got.lock().expect("lock").is_empty());
    clock.set(Utc::now() + Duration::seconds(30));
    worker.run_due().await.expect("outbox");
    assert!(got.lock().expect("lock").is_empty(), "not before its time");
    clock.set(Utc::now() + Duration::minutes(2));
    worker.run_due().await.expect("outbox");
    worker.run_due().await.expect("outbox");
    let mails = got.lock().expect("lock").clone();
    assert_eq!(
        mails.len(),
        1,
        "once, and not to whom turned e-mail off: {mails:?}"
    );
    assert!(mails[0].to.contains(&rep.email), "{mails:?}");
    let text = mails[0].text();
    assert!(text.contains("温州瓯海眼镜有限公司"), "{text}");
    assert!(
        text.contains("转给了你"),
        "in the organization's language: {text}"
    );
    assert!(mails[0].data.contains("Subject:"), "{mails:?}");
    // The in-app notice is there for both all the same.
    let inbox = app
        .get("/api/v1/notifications")
        .auth(&quiet.token)
        .send()
        .await;
    assert_eq!(inbox.data().len(), 1);
}
