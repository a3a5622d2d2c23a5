//! The outbox worker of a `kehu` process: runs the pending workflow runs (`persistence::workflows`),
//! then claims due deliveries (`persistence::webhook_deliveries`), a batch at a time, posts each
//! signed message to its endpoint, and records how it went; then the team-chat posts. It is
//! woken after each successful write request of this process; otherwise it sleeps until the
//! next delivery falls due, at most [`MAX_IDLE`], so what other processes queued goes out too.
//! Several processes share the queue without sending a delivery twice at once; a process that
//! dies mid-send leaves its lease to run out (the receiver may then see the message again, with
//! the same `webhook-id`: delivery is at least once).
//!
//! Time is the runner's [`Clock`]: what is due, the retry schedule and `webhook-timestamp`
//! follow it, so tests move time instead of waiting. Latency is measured on the real clock.

use super::{chat, signing, targets, Policy};
use crate::jobs::Clock;
use chrono::Duration;
use diesel_async::AsyncConnection;
use domain::chat::{plan_posts, ChatPlatform};
use futures::future::join_all;
use persistence::db::{self, DbPool};
use persistence::webhook_deliveries::{self as deliveries, Outgoing, Recorded, Sent};
use persistence::StoreError;
use persistence::{chat_bots, mail_messages, workflows};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Deliveries claimed (and sent concurrently) at a time.
const BATCH: i64 = 16;
/// The longest an idle sender sleeps: deliveries another process queued wait at most this.
const MAX_IDLE: std::time::Duration = std::time::Duration::from_secs(2);
/// A bot's pending notices read per round (a digest takes what fits of them).
const CHAT_READ: i64 = 500;
/// How much of a receiver's answer the log keeps.
const RESPONSE_KEPT: usize = 1024;

pub struct Sender {
    pool: DbPool,
    clock: Clock,
    client: reqwest::Client,
    /// How long a claim holds: longer than a receiver may take.
    lease: Duration,
    send: bool,
    /// Where e-mail goes, when the server has SMTP set up.
    mail: Option<super::mail::Mailer>,
    wake: tokio::sync::Notify,
    started: AtomicBool,
}

impl Sender {
    pub fn new(pool: DbPool, clock: Clock, policy: &Policy) -> Result<Sender, String> {
        let client = reqwest::Client::builder()
            .timeout(policy.timeout)
            .connect_timeout(policy.timeout.min(std::time::Duration::from_secs(5)))
            // A redirect would leave the checked URL for an unchecked one.
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(targets::GuardedResolver {
                private_targets: policy.private_targets,
            }))
            .user_agent(concat!("Kehu-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("webhook client: {e}"))?;
        let lease = Duration::from_std(policy.timeout).unwrap_or(Duration::seconds(15))
            + Duration::seconds(30);
        Ok(Sender {
            pool,
            clock,
            client,
            lease,
            send: policy.send,
            mail: None,
            wake: tokio::sync::Notify::new(),
            started: AtomicBool::new(false),
        })
    }

    /// Sends every delivery due by its clock, batch after batch, until none is, then posts
    /// what team-chat bots have waiting; returns how many attempts and posts were made.
    pub async fn run_due(&self) -> Result<usize, StoreError> {
        // Rules first: what they change is sent in the same round.
        let rules = self.run_rules().await?;
        let hooks = self.send_webhooks().await?;
        let mail = self.send_mail().await?;
        Ok(rules + hooks + mail + self.post_chats().await?)
    }

    /// Sends e-mail through `mailer` too.
    pub fn with_mail(mut self, mailer: super::mail::Mailer) -> Sender {
        self.mail = Some(mailer);
        self
    }

    /// Sends the due e-mail, a batch at a time, until none is due.
    async fn send_mail(&self) -> Result<usize, StoreError> {
        let Some(mailer) = &self.mail else {
            return Ok(0);
        };
        let mut conn = db::conn(&self.pool).await?;
        let mut sent = 0;
        loop {
            let now = self.clock.now();
            let batch = mail_messages::claim(&mut conn, now, self.lease, BATCH).await?;
            if batch.is_empty() {
                return Ok(sent);
            }
            let outcomes = join_all(batch.iter().map(|m| mailer.send(m))).await;
            for (m, outcome) in batch.iter().zip(outcomes) {
                if let Err(e) = &outcome {
                    log::warn!("e-mail {}: {e}", m.id);
                }
                mail_messages::record(&mut conn, m, outcome, self.clock.now()).await?;
            }
            sent += batch.len();
        }
    }

    /// Runs the pending workflow runs, each record's in event order, until none is left.
    async fn run_rules(&self) -> Result<usize, StoreError> {
        let mut conn = db::conn(&self.pool).await?;
        let mut ran = 0;
        loop {
            let now = self.clock.now();
            let batch = workflows::claim(&mut conn, now, self.lease, BATCH).await?;
            if batch.is_empty() {
                return Ok(ran);
            }
            for pending in &batch {
                workflows::run(&mut conn, pending, now).await?;
                ran += 1;
            }
        }
    }

    async fn send_webhooks(&self) -> Result<usize, StoreError> {
        let mut sent = 0;
        loop {
            let batch = {
                let mut conn = db::conn(&self.pool).await?;
                deliveries::claim(&mut conn, self.clock.now(), self.lease, BATCH).await?
            };
            if batch.is_empty() {
                return Ok(sent);
            }
            sent += batch.len();
            for result in join_all(batch.iter().map(|out| self.attempt(out))).await {
                result?;
            }
        }
    }

    /// Posts each bot's pending notices within its platform's rate limit (a digest for what
    /// does not fit; the rest waits), holding the bot's row lock meanwhile so one process posts
    /// for a bot at a time. A post that fails leaves its notices pending for the next round.
    async fn post_chats(&self) -> Result<usize, StoreError> {
        let mut conn = db::conn(&self.pool).await?;
        let mut done: Vec<uuid::Uuid> = Vec::new();
        let mut posts = 0;
        loop {
            let now = self.clock.now();
            let round = conn
                .transaction::<_, StoreError, _>(async |c| {
                    let Some(w) = chat_bots::lock_next(c, now, &done, CHAT_READ).await? else {
                        return Ok(None);
                    };
                    let platform = w.bot.platform();
                    let budget = platform.per_minute().saturating_sub(w.posted_last_minute);
                    let texts: Vec<String> = w
                        .notices
                        .iter()
                        .map(|(_, t)| if w.zh { t.zh.clone() } else { t.en.clone() })
                        .collect();
                    let plan = plan_posts(&texts, budget, platform.max_bytes(), w.zh);
                    for post in &plan {
                        let ids: Vec<uuid::Uuid> =
                            post.notices.iter().map(|i| w.notices[*i].0).collect();
                        let (status, error) = self
                            .post_chat(platform, &w.bot.url, w.bot.secret.as_deref(), &post.text)
                            .await;
                        chat_bots::record_post(
                            c,
                            w.bot.id,
                            &ids,
                            post.digest,
                            now,
                            status,
                            error.as_deref(),
                        )
                        .await?;
                        if let Some(e) = error {
                            log::warn!("chat bot {} ({}): {e}", w.bot.id, platform.as_str());
                            break;
                        }
                    }
                    Ok(Some((w.bot.id, plan.len())))
                })
                .await?;
            match round {
                Some((bot, n)) => {
                    done.push(bot);
                    posts += n;
                }
                None => return Ok(posts),
            }
        }
    }

    /// Posts one text; the receiver's status and why it failed, if it did.
    async fn post_chat(
        &self,
        platform: ChatPlatform,
        url: &str,
        secret: Option<&str>,
        text: &str,
    ) -> (Option<i32>, Option<String>) {
        let (url, body) = match chat::request(platform, url, secret, text, self.clock.now()) {
            Ok(r) => r,
            Err(e) => return (None, Some(e)),
        };
        match self.client.post(url).json(&body).send().await {
            Ok(res) => {
                let status = i32::from(res.status().as_u16());
                if !res.status().is_success() {
                    return (Some(status), Some(format!("answered {status}")));
                }
                let answer: serde_json::Value = res.json().await.unwrap_or_default();
                (Some(status), chat::accepted(&answer).err())
            }
            Err(e) => (None, Some(describe(&e.without_url()))),
        }
    }

    async fn attempt(&self, out: &Outgoing) -> Result<(), StoreError> {
        let result = self.post(out).await;
        let mut conn = db::conn(&self.pool).await?;
        match deliveries::record(&mut conn, out, self.clock.now(), &result).await? {
            Recorded::Failed => log::warn!(
                "webhook endpoint {} of organization {} turned off: a delivery to {} failed every attempt",
                out.endpoint_id,
                out.org_id,
                targets::redacted(&out.url)
            ),
            Recorded::Lost => log::warn!(
                "webhook delivery {}: another process took it over; this attempt's result is dropped",
                out.delivery_id
            ),
            Recorded::Delivered | Recorded::Retry(_) => {}
        }
        Ok(())
    }

    /// Posts one message; never fails, the outcome is what is recorded.
    async fn post(&self, out: &Outgoing) -> Sent {
        let body = serde_json::to_vec(&out.body).unwrap_or_default();
        let id = out.message_id.to_string();
        let timestamp = self.clock.now().timestamp();
        let started = Instant::now();
        let sent = self
            .client
            .post(&out.url)
            .header("content-type", "application/json")
            .header("webhook-id", &id)
            .header("webhook-timestamp", timestamp.to_string())
            .header(
                "webhook-signature",
                signing::header(&out.secrets, &id, timestamp, &body),
            )
            .body(body)
            .send()
            .await;
        let (status, response, error) = match sent {
            Ok(res) => {
                let status = i32::from(res.status().as_u16());
                let text = res.text().await.unwrap_or_default();
                let kept: String = text.chars().take(RESPONSE_KEPT).collect();
                (Some(status), Some(kept).filter(|t| !t.is_empty()), None)
            }
            // Without the URL: its path or query may hold the receiver's token.
            Err(e) => (None, None, Some(describe(&e.without_url()))),
        };
        Sent {
            status,
            latency_ms: i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX),
            error,
            response,
        }
    }

    /// Sends what is due now, soon: starts the background loop on the first call. A process
    /// that does not send (`KEHU_WEBHOOK_SEND=false`) ignores it.
    pub fn wake(self: &Arc<Self>) {
        if !self.send {
            return;
        }
        if !self.started.swap(true, Ordering::AcqRel) {
            let me = self.clone();
            tokio::spawn(async move { me.run_forever().await });
        }
        self.wake.notify_one();
    }

    async fn run_forever(&self) {
        loop {
            let idle = match self.run_due().await {
                Ok(_) => self.until_next_due().await,
                Err(e) => {
                    log::error!("webhooks: {e} (tried again in a second)");
                    std::time::Duration::from_secs(1)
                }
            };
            let _ = tokio::time::timeout(idle, self.wake.notified()).await;
        }
    }

    async fn until_next_due(&self) -> std::time::Duration {
        let next = match db::conn(&self.pool).await {
            Ok(mut conn) => deliveries::next_due(&mut conn).await.ok().flatten(),
            Err(_) => None,
        };
        next.map_or(MAX_IDLE, |at| {
            (at - self.clock.now())
                .to_std()
                .unwrap_or_default()
                .clamp(std::time::Duration::from_millis(10), MAX_IDLE)
        })
    }
}

/// An error with its causes (`error sending request: connection refused`).
fn describe(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
