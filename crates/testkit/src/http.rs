//! A thin request builder over reqwest that returns status, headers and the JSON body at once.

use reqwest::header::HeaderMap;
use serde_json::Value;
use uuid::Uuid;

pub struct Call {
    rb: reqwest::RequestBuilder,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Res {
    pub status: u16,
    pub headers: HeaderMap,
    /// The JSON body; `Value::Null` when empty, a string when not JSON.
    pub body: Value,
}

impl Call {
    pub(crate) fn new(rb: reqwest::RequestBuilder) -> Call {
        Call { rb }
    }

    pub fn auth(self, token: &str) -> Call {
        Call {
            rb: self.rb.bearer_auth(token),
        }
    }

    pub fn json(self, body: &Value) -> Call {
        Call {
            rb: self.rb.json(body),
        }
    }

    /// A raw body with its content type (for malformed-input tests).
    pub fn raw(self, content_type: &str, body: &str) -> Call {
        Call {
            rb: self
                .rb
                .header("content-type", content_type)
                .body(body.to_string()),
        }
    }

    pub fn header(self, name: &str, value: &str) -> Call {
        Call {
            rb: self.rb.header(name, value),
        }
    }

    pub fn if_match(self, etag: &str) -> Call {
        self.header("if-match", etag)
    }

    pub async fn send(self) -> Res {
        let response = self
            .rb
            .send()
            .await
            .expect("the request reaches the server");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("read the body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Res {
            status,
            headers,
            body,
        }
    }
}

impl Res {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn etag(&self) -> String {
        self.header("etag")
            .unwrap_or_else(|| panic!("no ETag in {self:?}"))
            .to_string()
    }

    /// The string at a JSON pointer, e.g. `/user/id`.
    pub fn str(&self, pointer: &str) -> &str {
        self.body
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no string at {pointer} in {}", self.body))
    }

    pub fn uuid(&self, pointer: &str) -> Uuid {
        self.str(pointer)
            .parse()
            .unwrap_or_else(|_| panic!("no UUID at {pointer} in {}", self.body))
    }

    /// The `data` array of a list response.
    pub fn data(&self) -> &Vec<Value> {
        self.body["data"]
            .as_array()
            .unwrap_or_else(|| panic!("no data array in {}", self.body))
    }

    /// Whether this is an RFC 9457 problem with `status`.
    pub fn is_problem(&self, status: u16) -> bool {
        self.status == status
            && self.header("content-type") == Some("application/problem+json")
            && self.body["status"] == status
            && self.body["title"].is_string()
    }
}

/// Percent-encodes query text (the HTTP parser refuses raw UTF-8 in a request line).
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
