//! Posting notices to team-chat bots, as each platform wants it: WeCom's group robot (the key in
//! the URL, unsigned), DingTalk's custom robot (加签: `timestamp` and `sign` in the query, the
//! base64 HMAC-SHA256 of `timestamp\nsecret` keyed by the secret) and Feishu's custom bot
//! (签名校验: `timestamp` and `sign` in the body, the base64 HMAC-SHA256 of nothing keyed by
//! `timestamp\nsecret`). All three answer HTTP 200 with a JSON code; only code 0 is a success.

use base64::Engine;
use chrono::{DateTime, Utc};
use domain::chat::ChatPlatform;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

fn hmac_b64(key: &[u8], message: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The URL and body of a post of `text` at `now`.
pub fn request(
    platform: ChatPlatform,
    url: &str,
    secret: Option<&str>,
    text: &str,
    now: DateTime<Utc>,
) -> Result<(reqwest::Url, Value), String> {
    let mut url = reqwest::Url::parse(url).map_err(|_| "the bot's URL is not a URL".to_string())?;
    let body = match platform {
        ChatPlatform::Wecom | ChatPlatform::Dingtalk => {
            json!({"msgtype": "text", "text": {"content": text}})
        }
        ChatPlatform::Feishu => json!({"msg_type": "text", "content": {"text": text}}),
    };
    let Some(secret) = secret else {
        return Ok((url, body));
    };
    match platform {
        ChatPlatform::Wecom => Ok((url, body)),
        ChatPlatform::Dingtalk => {
            let ts = now.timestamp_millis();
            let sign = hmac_b64(secret.as_bytes(), format!("{ts}\n{secret}").as_bytes());
            url.query_pairs_mut()
                .append_pair("timestamp", &ts.to_string())
                .append_pair("sign", &sign);
            Ok((url, body))
        }
        ChatPlatform::Feishu => {
            let ts = now.timestamp();
            let sign = hmac_b64(format!("{ts}\n{secret}").as_bytes(), b"");
            let mut body = body;
            body["timestamp"] = json!(ts.to_string());
            body["sign"] = json!(sign);
            Ok((url, body))
        }
    }
}

/// Whether the platform's answer says the post was taken; the error otherwise.
pub fn accepted(answer: &Value) -> Result<(), String> {
    let code = answer
        .get("errcode")
        .or_else(|| answer.get("code"))
        .or_else(|| answer.get("StatusCode"))
        .and_then(Value::as_i64);
    match code {
        Some(0) => Ok(()),
        Some(c) => Err(format!(
            "the platform refused the post: code {c} {}",
            answer
                .get("errmsg")
                .or_else(|| answer.get("msg"))
                .and_then(Value::as_str)
                .unwrap_or_default()
        )),
        None => Err("the platform's answer has no result code".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_platform_gets_its_own_shape_and_signature() {
        let now: DateTime<Utc> = "2026-12-02T01:00:00Z".parse().expect("time");
        let (url, body) = request(
            ChatPlatform::Dingtalk,
            "https://oapi.dingtalk.com/robot/send?access_token=abc",
            Some("SECxyz"),
            "你好",
            now,
        )
        .expect("request");
        let q: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(q[0], ("access_token".into(), "abc".into()));
        assert_eq!(
            q[1],
            ("timestamp".into(), now.timestamp_millis().to_string())
        );
        let expect = hmac_b64(
            b"SECxyz",
            format!("{}\nSECxyz", now.timestamp_millis()).as_bytes(),
        );
        assert_eq!(q[2], ("sign".into(), expect));
        assert_eq!(body["text"]["content"], "你好");
        let (_, body) = request(
            ChatPlatform::Feishu,
            "https://open.feishu.cn/x",
            Some("s"),
            "hi",
            now,
        )
        .expect("request");
        assert_eq!(body["content"]["text"], "hi");
        assert_eq!(body["timestamp"], now.timestamp().to_string());
        let (url, body) = request(
            ChatPlatform::Wecom,
            "https://qyapi.weixin.qq.com/w?key=k",
            None,
            "hi",
            now,
        )
        .expect("request");
        assert_eq!(url.query(), Some("key=k"));
        assert_eq!(body["msgtype"], "text");
        assert!(accepted(&json!({"errcode": 0, "errmsg": "ok"})).is_ok());
        assert!(accepted(&json!({"code": 0})).is_ok());
        assert!(
            accepted(&json!({"errcode": 45009, "errmsg": "api freq out of limit"}))
                .expect_err("refused")
                .contains("45009")
        );
        assert!(accepted(&json!({})).is_err());
    }
}
