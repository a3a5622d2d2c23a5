//! The one API client: `/api/v1` on the same origin, the bearer token, a silent refresh on 401
//! (one at a time, see [`refresh`]), and every error response parsed into a typed [`ApiError`].
//! Resource modules are thin typed wrappers over [`Call`]; record types share [`records`].

pub mod accounts;
pub mod activities;
pub mod approvals;
pub mod auth;
pub mod chat_bots;
pub mod contacts;
pub mod custom;
pub mod departments;
pub mod jobs;
pub mod leads;
pub mod merge;
pub mod names;
pub mod notifications;
pub mod opportunities;
pub mod picklists;
pub mod pools;
pub mod products;
pub mod records;
pub mod regions;
pub mod search;
pub mod settings;
pub mod views;
pub mod webhooks;
pub mod workflows;

use crate::session;
use domain::problem::{DuplicateCandidate, FieldError, Problem};
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use gloo_net::http::{Method, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::cell::RefCell;
use std::fmt;

pub const BASE: &str = "/api/v1";

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server could not be reached (offline, server down).
    Network(String),
    /// 401 that refreshing could not fix: the session is over and the app is back at sign-in.
    SessionEnded,
    /// An RFC 9457 problem (`application/problem+json`).
    Problem(Problem),
    /// An error status without a problem body, or a body that did not parse.
    Unexpected { status: u16, detail: String },
}

impl ApiError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Network(_) => None,
            ApiError::SessionEnded => Some(401),
            ApiError::Problem(p) => Some(p.status),
            ApiError::Unexpected { status, .. } => Some(*status),
        }
    }

    pub fn problem(&self) -> Option<&Problem> {
        match self {
            ApiError::Problem(p) => Some(p),
            _ => None,
        }
    }

    /// The invalid fields of a 422.
    pub fn field_errors(&self) -> &[FieldError] {
        self.problem().map(|p| p.errors.as_slice()).unwrap_or(&[])
    }

    /// The records a create would duplicate (409).
    pub fn candidates(&self) -> &[DuplicateCandidate] {
        self.problem()
            .map(|p| p.candidates.as_slice())
            .unwrap_or(&[])
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network(e) => write!(f, "network error: {e}"),
            ApiError::SessionEnded => f.write_str("the session has ended"),
            ApiError::Problem(p) => match &p.detail {
                Some(d) => write!(f, "{} ({}): {d}", p.title, p.status),
                None => write!(f, "{} ({})", p.title, p.status),
            },
            ApiError::Unexpected { status, detail } => write!(f, "HTTP {status}: {detail}"),
        }
    }
}

impl std::error::Error for ApiError {}

/// A successful answer: the body and the `ETag` (the record's version, for `If-Match`).
#[derive(Debug, Clone)]
pub struct Reply<T> {
    pub body: T,
    pub etag: Option<String>,
}

/// `encodeURIComponent`, so that non-ASCII text (Chinese names) survives the request line.
pub fn encode(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

/// `a=1&b=2` from pairs, percent-encoded.
pub fn query_string<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k.as_ref()), encode(v.as_ref())))
        .collect::<Vec<_>>()
        .join("&")
}

/// One request to the API, built up and then sent with [`Call::send`] or [`Call::send_empty`].
#[derive(Debug, Clone)]
pub struct Call {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(&'static str, String)>,
    body: Option<String>,
    authenticated: bool,
}

impl Call {
    fn new(method: Method, path: &str) -> Call {
        Call {
            method,
            path: format!("{BASE}{path}"),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            authenticated: true,
        }
    }

    pub fn get(path: &str) -> Call {
        Call::new(Method::GET, path)
    }

    pub fn post(path: &str) -> Call {
        Call::new(Method::POST, path)
    }

    pub fn patch(path: &str) -> Call {
        Call::new(Method::PATCH, path)
    }

    pub fn put(path: &str) -> Call {
        Call::new(Method::PUT, path)
    }

    pub fn delete(path: &str) -> Call {
        Call::new(Method::DELETE, path)
    }

    /// Without the bearer token, and a 401 is an answer rather than an ended session (sign-in).
    pub fn anonymous(mut self) -> Call {
        self.authenticated = false;
        self
    }

    pub fn param(mut self, key: &str, value: impl Into<String>) -> Call {
        self.query.push((key.to_string(), value.into()));
        self
    }

    pub fn params(mut self, pairs: &[(String, String)]) -> Call {
        self.query.extend_from_slice(pairs);
        self
    }

    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Call {
        // Serializing the domain's request types cannot fail (no maps with non-string keys).
        self.body = serde_json::to_string(body).ok();
        self
    }

    /// `If-Match` with the ETag read, so a stale edit gets 412 instead of overwriting.
    pub fn if_match(mut self, etag: &str) -> Call {
        self.headers.push(("If-Match", etag.to_string()));
        self
    }

    /// An `Idempotency-Key`: a fresh random UUID per submission.
    pub fn idempotency_key(mut self) -> Call {
        self.headers
            .push(("Idempotency-Key", uuid::Uuid::new_v4().to_string()));
        self
    }

    fn url(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, query_string(&self.query))
        }
    }

    async fn fetch(&self, token: Option<&str>) -> Result<Response, ApiError> {
        let mut rb = RequestBuilder::new(&self.url())
            .method(self.method.clone())
            .header("Accept", "application/json");
        if let Some(t) = token {
            rb = rb.header("Authorization", &format!("Bearer {t}"));
        }
        for (k, v) in &self.headers {
            rb = rb.header(k, v);
        }
        let request = match &self.body {
            Some(b) => rb
                .header("Content-Type", "application/json")
                .body(b.as_str()),
            None => rb.build(),
        }
        .map_err(|e| ApiError::Network(e.to_string()))?;
        request
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))
    }

    /// Sends; on 401 refreshes the session once and repeats; error statuses become `ApiError`.
    async fn response(&self) -> Result<Response, ApiError> {
        if !self.authenticated {
            return check(self.fetch(None).await?).await;
        }
        let token = session::access_token();
        let response = self.fetch(token.as_deref()).await?;
        if response.status() != 401 {
            return check(response).await;
        }
        refresh::after_401(token).await?;
        let again = self.fetch(session::access_token().as_deref()).await?;
        if again.status() == 401 {
            session::end();
            return Err(ApiError::SessionEnded);
        }
        check(again).await
    }

    pub async fn send<T: DeserializeOwned>(self) -> Result<Reply<T>, ApiError> {
        let response = self.response().await?;
        let etag = response.headers().get("etag");
        let text = response
            .text()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))?;
        let body = serde_json::from_str(&text).map_err(|e| ApiError::Unexpected {
            status: response.status(),
            detail: format!("unreadable response: {e}"),
        })?;
        Ok(Reply { body, etag })
    }

    /// For answers without a body (204).
    pub async fn send_empty(self) -> Result<(), ApiError> {
        self.response().await.map(|_| ())
    }
}

/// Every item of a collection (`/chat-bots`), page after page, in the collection's order.
pub async fn all_pages<T: DeserializeOwned>(path: &str) -> Result<Vec<T>, ApiError> {
    let mut all = Vec::new();
    let mut cursor = None::<String>;
    loop {
        let mut call = Call::get(path).param("limit", "100");
        if let Some(c) = &cursor {
            call = call.param("cursor", c.as_str());
        }
        let page: domain::list::Page<T> = call.send().await?.body;
        all.extend(page.data);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return Ok(all),
        }
    }
}

/// Error statuses into `ApiError`: the problem body when there is one.
async fn check(response: Response) -> Result<Response, ApiError> {
    if response.ok() {
        return Ok(response);
    }
    let status = response.status();
    let text = response.text().await.unwrap_or_default();
    Err(match serde_json::from_str::<Problem>(&text) {
        Ok(p) => ApiError::Problem(p),
        Err(_) => ApiError::Unexpected {
            status,
            detail: text.chars().take(200).collect(),
        },
    })
}

/// Refresh tokens rotate: each works once, and reusing one revokes the session. So concurrent
/// requests that all get 401 share one refresh (a single in-flight future), and a request whose
/// token was already replaced (by another request, or another tab) just retries with the new one.
mod refresh {
    use super::*;

    type Flight = Shared<LocalBoxFuture<'static, Result<(), ApiError>>>;

    thread_local! {
        static IN_FLIGHT: RefCell<Option<Flight>> = const { RefCell::new(None) };
    }

    pub(super) async fn after_401(used: Option<String>) -> Result<(), ApiError> {
        let current = session::access_token();
        if current.is_some() && current != used {
            return Ok(());
        }
        let flight = IN_FLIGHT.with(|slot| {
            slot.borrow_mut()
                .get_or_insert_with(|| run().boxed_local().shared())
                .clone()
        });
        flight.await
    }

    async fn run() -> Result<(), ApiError> {
        let result = exchange().await;
        IN_FLIGHT.with(|slot| slot.borrow_mut().take());
        match &result {
            Ok(()) | Err(ApiError::Network(_)) => {}
            Err(_) => session::end(),
        }
        result.map_err(|e| match e {
            ApiError::Network(_) => e,
            _ => ApiError::SessionEnded,
        })
    }

    async fn exchange() -> Result<(), ApiError> {
        let tokens = auth::refresh().await?;
        session::save_tokens(&tokens);
        Ok(())
    }
}
