//! `/chat-bots` (admins): the organization's team-chat robots (WeCom, DingTalk, Feishu) that
//! post notices of chosen kinds to a group. A bot's secret is write-only.

use super::records::Versioned;
use super::{ApiError, Call, Reply};
use domain::chat::{ChatBot, ChatBotCreate, ChatBotPatch};
use serde_json::{Map, Value};
use uuid::Uuid;

impl Versioned for ChatBot {
    fn version(&self) -> i32 {
        self.version
    }
}

/// Every bot of the organization, oldest first (all pages).
pub async fn list_all() -> Result<Vec<ChatBot>, ApiError> {
    super::all_pages("/chat-bots").await
}

/// One bot with its ETag (after a 412, to edit the latest version).
pub async fn get(id: Uuid) -> Result<Reply<ChatBot>, ApiError> {
    Call::get(&format!("/chat-bots/{id}")).send().await
}

pub async fn create(input: &ChatBotCreate) -> Result<ChatBot, ApiError> {
    Call::post("/chat-bots")
        .json(input)
        .send()
        .await
        .map(|r| r.body)
}

/// The body of a PATCH: only the fields `patch` sets. (Serialized as it is, an unset
/// `secret` would be `null`, which removes the secret.)
pub fn patch_body(patch: &ChatBotPatch) -> Value {
    let mut body = Map::new();
    if let Some(v) = &patch.name {
        body.insert("name".into(), Value::from(v.as_str()));
    }
    if let Some(v) = &patch.url {
        body.insert("url".into(), Value::from(v.as_str()));
    }
    if let Some(v) = &patch.secret {
        body.insert(
            "secret".into(),
            v.as_deref().map_or(Value::Null, Value::from),
        );
    }
    if let Some(v) = &patch.kinds {
        body.insert(
            "kinds".into(),
            v.iter().map(|k| Value::from(k.as_str())).collect(),
        );
    }
    if let Some(v) = patch.enabled {
        body.insert("enabled".into(), Value::from(v));
    }
    Value::Object(body)
}

/// Changes what `patch` sets (absent fields stay), with `If-Match`.
pub async fn update(id: Uuid, etag: &str, patch: &ChatBotPatch) -> Result<ChatBot, ApiError> {
    Call::patch(&format!("/chat-bots/{id}"))
        .if_match(etag)
        .json(&patch_body(patch))
        .send()
        .await
        .map(|r| r.body)
}

/// Removes a bot with what it had waiting.
pub async fn delete(id: Uuid) -> Result<(), ApiError> {
    Call::delete(&format!("/chat-bots/{id}")).send_empty().await
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::notification::NotificationKind;
    use serde_json::json;

    #[test]
    fn a_patch_sends_only_what_it_sets_and_keeps_the_secret() {
        let keep = ChatBotPatch {
            name: Some("华东销售群".into()),
            ..ChatBotPatch::default()
        };
        assert_eq!(patch_body(&keep), json!({"name": "华东销售群"}));
        let remove = ChatBotPatch {
            secret: Some(None),
            kinds: Some(vec![NotificationKind::TaskOverdue]),
            enabled: Some(false),
            ..ChatBotPatch::default()
        };
        assert_eq!(
            patch_body(&remove),
            json!({"secret": null, "kinds": ["task_overdue"], "enabled": false})
        );
    }
}
