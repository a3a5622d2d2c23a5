//! Team-chat bots (`/chat-bots`): WeCom (企业微信), DingTalk (钉钉) and Feishu (飞书) group
//! robots that post the organization's notices of chosen kinds. Each platform takes only so many
//! posts a minute; what does not fit is merged into a digest ([`plan_posts`]), never dropped.

use crate::notification::NotificationKind;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChatPlatform {
    /// 企业微信群机器人: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`, unsigned.
    Wecom,
    /// 钉钉自定义机器人: `https://oapi.dingtalk.com/robot/send?access_token=…`, 加签 with a secret.
    Dingtalk,
    /// 飞书自定义机器人: `https://open.feishu.cn/open-apis/bot/v2/hook/…`, 签名校验 with a secret.
    Feishu,
}

impl ChatPlatform {
    pub fn as_str(self) -> &'static str {
        match self {
            ChatPlatform::Wecom => "wecom",
            ChatPlatform::Dingtalk => "dingtalk",
            ChatPlatform::Feishu => "feishu",
        }
    }

    pub fn parse(s: &str) -> Option<ChatPlatform> {
        [
            ChatPlatform::Wecom,
            ChatPlatform::Dingtalk,
            ChatPlatform::Feishu,
        ]
        .into_iter()
        .find(|p| p.as_str() == s)
    }

    /// Posts a bot takes a minute (the platforms' published limits).
    pub fn per_minute(self) -> usize {
        match self {
            ChatPlatform::Wecom | ChatPlatform::Dingtalk => 20,
            ChatPlatform::Feishu => 100,
        }
    }

    /// The longest text a post carries, in bytes (WeCom: 2048; the others take more, kept
    /// readable).
    pub fn max_bytes(self) -> usize {
        match self {
            ChatPlatform::Wecom => 2000,
            ChatPlatform::Dingtalk | ChatPlatform::Feishu => 8000,
        }
    }
}

/// A bot as the API returns it (its secret is never shown again).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChatBot {
    pub id: Uuid,
    pub platform: ChatPlatform,
    #[cfg_attr(feature = "openapi", schema(example = "华东销售群"))]
    pub name: String,
    pub url: String,
    /// Whether it signs its posts with a secret.
    pub signed: bool,
    /// The notice kinds it posts.
    pub kinds: Vec<NotificationKind>,
    pub enabled: bool,
    pub version: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChatBotCreate {
    pub platform: ChatPlatform,
    #[validate(length(min = 1, max = 100))]
    pub name: String,
    /// The robot's webhook address, as the platform shows it.
    #[validate(length(min = 1, max = 2000))]
    pub url: String,
    /// DingTalk's 加签 secret (`SEC…`) or Feishu's signing secret.
    #[validate(length(min = 1, max = 200))]
    pub secret: Option<String>,
    #[validate(length(min = 1))]
    pub kinds: Vec<NotificationKind>,
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// `PATCH /chat-bots/{id}`: absent fields stay; `secret: null` removes the secret.
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChatBotPatch {
    #[validate(length(min = 1, max = 100))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[validate(length(min = 1, max = 2000))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, deserialize_with = "crate::patch::double_option")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<Option<String>>,
    #[validate(length(min = 1))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kinds: Option<Vec<NotificationKind>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// One post to make: which of the pending notices it carries, and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub notices: Vec<usize>,
    pub text: String,
    pub digest: bool,
}

/// Plans this minute's posts for `pending` notice texts (oldest first) when the bot takes
/// `budget` more posts: one each while they fit, otherwise one each for all but the last post,
/// which is a digest of as many of the rest as fit `max_bytes`. What does not fit waits for the
/// next minute.
pub fn plan_posts(pending: &[String], budget: usize, max_bytes: usize, zh: bool) -> Vec<Post> {
    if budget == 0 || pending.is_empty() {
        return Vec::new();
    }
    let single = |i: usize| Post {
        notices: vec![i],
        text: clip(&pending[i], max_bytes),
        digest: false,
    };
    if pending.len() <= budget {
        return (0..pending.len()).map(single).collect();
    }
    let mut posts: Vec<Post> = (0..budget - 1).map(single).collect();
    let head = |n: usize| {
        if zh {
            format!("另有 {n} 条通知：")
        } else {
            format!("{n} more notices:")
        }
    };
    let rest = &pending[budget - 1..];
    // As many as fit, counted in the heading; at least one, clipped if it alone is too long.
    let mut taken = 0;
    let mut lines = Vec::new();
    for (k, text) in rest.iter().enumerate() {
        let line = format!("{}. {text}", k + 1);
        let candidate: usize = head(taken + 1).len()
            + lines.iter().map(|l: &String| l.len() + 1).sum::<usize>()
            + line.len()
            + 1;
        if taken > 0 && candidate > max_bytes {
            break;
        }
        lines.push(line);
        taken += 1;
    }
    posts.push(Post {
        notices: (budget - 1..budget - 1 + taken).collect(),
        text: clip(&format!("{}\n{}", head(taken), lines.join("\n")), max_bytes),
        digest: true,
    });
    posts
}

/// `text` cut to at most `max` bytes on a character boundary.
fn clip(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max.saturating_sub(3);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("任务提醒：回访客户{i}")).collect()
    }

    #[test]
    fn each_notice_posts_alone_while_the_budget_lasts() {
        let posts = plan_posts(&texts(5), 20, 2000, true);
        assert_eq!(posts.len(), 5);
        assert!(posts.iter().all(|p| !p.digest && p.notices.len() == 1));
        assert!(plan_posts(&texts(5), 0, 2000, true).is_empty());
    }

    #[test]
    fn overflow_is_merged_into_a_digest_and_nothing_is_lost() {
        let pending = texts(30);
        let posts = plan_posts(&pending, 20, 2000, true);
        assert_eq!(posts.len(), 20);
        let digest = posts.last().expect("digest");
        assert!(digest.digest);
        assert!(
            digest.text.starts_with("另有 11 条通知："),
            "{}",
            digest.text
        );
        let carried: Vec<usize> = posts.iter().flat_map(|p| p.notices.clone()).collect();
        assert_eq!(carried, (0..30).collect::<Vec<_>>(), "each once, in order");
        for text in &pending[19..30] {
            assert!(digest.text.contains(text));
        }
    }

    #[test]
    fn a_digest_takes_what_fits_and_the_rest_waits() {
        let pending = texts(300);
        let posts = plan_posts(&pending, 20, 2000, false);
        let digest = posts.last().expect("digest");
        assert!(digest.text.len() <= 2000);
        let n = digest.notices.len();
        assert!(n > 10 && n < 281, "{n}");
        assert!(digest.text.starts_with(&format!("{n} more notices:")));
        let long = vec!["长".repeat(1000)];
        let one = plan_posts(&long, 1, 2000, true);
        assert!(one[0].text.len() <= 2000 && one[0].text.ends_with('…'));
        assert_eq!(ChatPlatform::parse("feishu"), Some(ChatPlatform::Feishu));
        assert_eq!(ChatPlatform::Feishu.per_minute(), 100);
    }
}
