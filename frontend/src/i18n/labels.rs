//! How values read in a language: picklist choices (the organization's own labels), account
//! classes, pipeline stages, yes/no, and field errors from their codes.

use super::messages::text;
use super::{Locale, K};
use domain::account::AccountClass;
use domain::custom::FieldType;
use domain::registry::fields::{Choice, ACCOUNT_CLASSES};
use leptos::prelude::use_context;

/// The label of a picklist value (`list`: `industry`, `source`, `lost_reason`,
/// `disqualify_reason`): the organization's label, else the built-in one, else the key itself.
pub fn choice_label(list: &str, key: &str, locale: Locale) -> String {
    let values = match use_context::<crate::session::Auth>() {
        Some(auth) => auth.picklist(list),
        None => domain::picklist::defaults(list).unwrap_or_default(),
    };
    values
        .into_iter()
        .find(|v| v.key == key)
        .map(|v| match locale {
            Locale::Zh => v.zh,
            Locale::En => v.en,
        })
        .unwrap_or_else(|| key.to_string())
}

pub fn yes_no(yes: bool, locale: Locale) -> &'static str {
    let (zh, en) = text(if yes { K::Yes } else { K::No });
    locale.pick(zh, en)
}

/// The label of a value of an enum field, from the registry's choices (the key when unknown).
pub fn enum_label(choices: &'static [Choice], key: &'static str, locale: Locale) -> &'static str {
    choice_of(choices, key, locale).unwrap_or(key)
}

/// The label of `key` among an enum field's choices, if it is one.
pub fn choice_of(choices: &'static [Choice], key: &str, locale: Locale) -> Option<&'static str> {
    choices
        .iter()
        .find(|c| c.key == key)
        .map(|c| locale.pick(c.label.zh, c.label.en))
}

pub fn class_label(class: AccountClass, locale: Locale) -> &'static str {
    enum_label(ACCOUNT_CLASSES, class.as_str(), locale)
}

/// The name of a custom field's type.
pub fn field_type_label(t: FieldType, locale: Locale) -> &'static str {
    let (zh, en) = match t {
        FieldType::Text => ("单行文本", "Text"),
        FieldType::LongText => ("多行文本", "Long text"),
        FieldType::Number => ("数字", "Number"),
        FieldType::Money => ("金额", "Money"),
        FieldType::Date => ("日期", "Date"),
        FieldType::Datetime => ("日期时间", "Date and time"),
        FieldType::Boolean => ("是/否", "Yes/no"),
        FieldType::Picklist => ("单选", "Picklist"),
        FieldType::MultiPicklist => ("多选", "Multi-select picklist"),
        FieldType::User => ("用户", "User"),
        FieldType::Lookup => ("关联记录", "Lookup"),
        FieldType::Email => ("邮箱", "Email"),
        FieldType::Phone => ("电话", "Phone"),
        FieldType::Url => ("网址", "URL"),
        FieldType::Formula => ("公式", "Formula"),
        FieldType::Rollup => ("汇总", "Roll-up"),
    };
    locale.pick(zh, en)
}

/// A field error in the user's language, from its stable code; the server's (English) message
/// when the code is not one the app knows.
pub fn field_error_message(code: &str, server_message: &str, locale: Locale) -> String {
    let known = match code {
        "required" => Some(("必填", "Required")),
        "length" => None, // the limits are in the server's message
        "range" => None,
        "email" => Some(("邮箱格式不正确", "Not a valid email")),
        "credit_code" => Some((
            "不是有效的统一社会信用代码（18 位，含校验码）",
            "Not a valid unified social credit code (18 characters with a check character)",
        )),
        "phone" => Some(("不是有效的电话号码", "Not a valid phone number")),
        "url" => Some(("不是有效的网址", "Not a web address")),
        "picklist" => Some(("不是列表中的选项", "Not one of the choices")),
        "key" => Some((
            "键只能用小写字母、数字和下划线（1–40 个）",
            "1–40 lower-case letters, digits or _",
        )),
        "unique" => Some(("不能重复", "Appears more than once")),
        "region" => Some((
            "应为 6 位行政区划代码，如 440305",
            "A 6-digit region code such as 440305",
        )),
        "scale" => Some(("小数点后最多 4 位", "At most 4 digits after the point")),
        "integer" => Some(("请输入整数", "Enter a whole number")),
        "date" => Some(("请输入日期，如 2026-01-05", "A date such as 2026-01-05")),
        "datetime" => Some(("请输入日期和时间", "Enter a date and time")),
        "inactive" => Some((
            "该字段已停用，不能再修改",
            "This field is deactivated and takes no changes",
        )),
        "decimal" => Some(("请输入数字，如 12500.00", "Enter a number such as 12500.00")),
        "currency" => Some((
            "应为 ISO 4217 币种代码，如 CNY",
            "An ISO 4217 code such as CNY",
        )),
        "cycle" => Some((
            "不能移到它自己或它的子分类之下",
            "Cannot move under itself or one of its subcategories",
        )),
        "code" => Some(("产品代码不能含空格", "A product code has no spaces")),
        "taken" => Some(("已被其他记录使用", "Already used by another record")),
        "event_type" => Some(("不是可订阅的事件", "Not an event one may subscribe to")),
        "no_events" => Some(("请至少选择一个事件", "Choose at least one event")),
        "scheme" => Some((
            "应以 https:// 或 http:// 开头",
            "Must be an http(s) address",
        )),
        "credentials" => Some((
            "地址中不能包含用户名和密码",
            "Must not hold a user name or password",
        )),
        "private_target" => Some((
            "这台服务器不允许内网地址",
            "This server does not allow private addresses",
        )),
        "no_kinds" => Some(("请至少选择一种通知", "Choose at least one kind of notice")),
        _ => None,
    };
    match (known, locale) {
        (Some((zh, en)), l) => l.pick(zh, en).to_string(),
        (None, Locale::Zh) if code == "length" => format!("长度不符合要求（{server_message}）"),
        (None, Locale::Zh) if code == "range" => format!("超出范围（{server_message}）"),
        (None, _) => server_message.to_string(),
    }
}

/// A stage's name in the current language: the default pipeline's stages have both names; an
/// organization's own stages show as they were named.
pub fn stage_label(name: &str, locale: Locale) -> String {
    domain::pipeline::DEFAULT_STAGES
        .iter()
        .find(|s| s.1 == name || s.2 == name)
        .map(|s| locale.pick(s.1, s.2).to_string())
        .unwrap_or_else(|| name.to_string())
}

/// A notification kind's name (`任务提醒`), as the domain names it in both languages.
pub fn notification_kind_label(
    kind: domain::notification::NotificationKind,
    locale: Locale,
) -> String {
    let names = kind.label();
    match locale {
        Locale::Zh => names.zh,
        Locale::En => names.en,
    }
}

/// A notification channel's name (`in_app` → 站内通知).
pub fn channel_label(channel: &str, locale: Locale) -> &'static str {
    let k = match channel {
        "team_chat" => K::ChannelTeamChat,
        "email" => K::ChannelEmail,
        _ => K::ChannelInApp,
    };
    let (zh, en) = text(k);
    locale.pick(zh, en)
}

/// A team-chat platform's name (`dingtalk` → 钉钉).
pub fn platform_label(platform: domain::chat::ChatPlatform, locale: Locale) -> &'static str {
    use domain::chat::ChatPlatform;
    let k = match platform {
        ChatPlatform::Wecom => K::PlatformWecom,
        ChatPlatform::Dingtalk => K::PlatformDingtalk,
        ChatPlatform::Feishu => K::PlatformFeishu,
    };
    let (zh, en) = text(k);
    locale.pick(zh, en)
}
