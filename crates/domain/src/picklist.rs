//! Picklists (选项列表): the organization-editable value lists behind fields such as industry and
//! source. Records store a value's stable key; labels are per language. Values are never removed,
//! only deactivated, so every stored key keeps its label.

use crate::problem::FieldError;
use serde::{Deserialize, Serialize};

/// A built-in value: stable key, Chinese and English labels.
pub type Choice = (&'static str, &'static str, &'static str);

/// Default industries (行业).
pub const INDUSTRIES: &[Choice] = &[
    ("manufacturing", "工业制造", "Manufacturing"),
    ("commerce", "商业贸易", "Commerce & trade"),
    ("finance", "金融保险", "Finance & insurance"),
    ("utilities", "公用事业", "Utilities"),
    ("government", "行政事业", "Government & public institutions"),
    ("construction", "建筑施工", "Construction"),
    ("tourism", "旅游服务", "Tourism & services"),
    ("internet", "新经济", "Internet & new economy"),
    ("conglomerate", "综合性集团", "Conglomerate"),
    ("other", "其他", "Other"),
];

/// Default sources (线索来源) of leads, accounts and opportunities.
pub const SOURCES: &[Choice] = &[
    ("employee_referral", "员工推介", "Employee referral"),
    ("customer_referral", "客户推介", "Customer referral"),
    ("partner_referral", "合作伙伴推介", "Partner referral"),
    ("other_referral", "其他推介", "Other referral"),
    ("sales_visit", "上门拜访", "Sales visit"),
    ("trade_show", "商业展示", "Trade show"),
    ("internet", "互联网信息", "Internet"),
    ("advertising", "广告反馈", "Advertising response"),
    ("phone_inquiry", "电话咨询", "Phone inquiry"),
    ("walk_in", "上门咨询", "Walk-in inquiry"),
    ("other", "其他反馈", "Other"),
];

/// Default reasons a deal is lost (输单原因).
pub const LOST_REASONS: &[Choice] = &[
    ("price", "价格因素", "Price"),
    ("competitor", "竞争对手胜出", "Lost to a competitor"),
    ("no_budget", "预算不足", "No budget"),
    ("no_decision", "项目搁置", "No decision / shelved"),
    ("product_fit", "产品不匹配", "Product fit"),
    ("relationship", "客户关系不足", "Relationship"),
    ("timing", "时机不合适", "Timing"),
    ("other", "其他", "Other"),
];

/// Default reasons a lead is disqualified (无效原因).
pub const DISQUALIFY_REASONS: &[Choice] = &[
    ("no_need", "无需求", "No need"),
    ("no_budget", "无预算", "No budget"),
    ("unreachable", "无法联系", "Unreachable"),
    ("duplicate", "重复线索", "Duplicate"),
    ("competitor", "已选竞品", "Chose a competitor"),
    ("invalid", "信息无效", "Invalid information"),
    ("other", "其他", "Other"),
];

/// Every picklist, by name, with its built-in values.
pub const DEFAULTS: &[(&str, &[Choice])] = &[
    ("industry", INDUSTRIES),
    ("source", SOURCES),
    ("lost_reason", LOST_REASONS),
    ("disqualify_reason", DISQUALIFY_REASONS),
];

/// The built-in values of a picklist, `None` for an unknown name.
pub fn defaults(name: &str) -> Option<Vec<PicklistValue>> {
    DEFAULTS.iter().find(|(n, _)| *n == name).map(|(_, c)| {
        c.iter()
            .map(|(key, zh, en)| PicklistValue {
                key: key.to_string(),
                zh: zh.to_string(),
                en: en.to_string(),
                active: true,
            })
            .collect()
    })
}

/// The label of `key` in a built-in list (`zh` or `en`), or the key itself.
pub fn label<'a>(table: &'a [Choice], key: &'a str, zh: bool) -> &'a str {
    table
        .iter()
        .find(|c| c.0 == key)
        .map(|c| if zh { c.1 } else { c.2 })
        .unwrap_or(key)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PicklistValue {
    /// Stable key stored in records: lower-case letters, digits and `_`.
    #[cfg_attr(feature = "openapi", schema(example = "trade_show"))]
    pub key: String,
    #[cfg_attr(feature = "openapi", schema(example = "商业展示"))]
    pub zh: String,
    #[cfg_attr(feature = "openapi", schema(example = "Trade show"))]
    pub en: String,
    /// Inactive values stay readable on old records but are refused on new writes.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// A picklist as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Picklist {
    #[cfg_attr(feature = "openapi", schema(example = "source"))]
    pub name: String,
    pub values: Vec<PicklistValue>,
    /// 0 while the organization uses the built-in values; `If-Match` on PUT.
    pub version: i32,
}

impl Picklist {
    /// Whether `key` may be written now (an active value).
    pub fn allows(&self, key: &str) -> bool {
        self.values.iter().any(|v| v.key == key && v.active)
    }
}

/// `PUT /picklists/{name}`: the whole list, in display order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PicklistInput {
    pub values: Vec<PicklistValue>,
}

impl PicklistInput {
    /// Trims labels and checks the list against the one it replaces: keys well-formed and unique,
    /// labels present, no stored key dropped (deactivate it instead), at least one active value.
    pub fn normalize(&mut self, before: &[PicklistValue]) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.values.len() > 200 {
            errors.push(FieldError::new("values", "length", "at most 200 values"));
        }
        let mut seen: Vec<&str> = Vec::new();
        for (i, v) in self.values.iter_mut().enumerate() {
            v.key = v.key.trim().to_string();
            v.zh = v.zh.trim().to_string();
            v.en = v.en.trim().to_string();
            let key_ok = (1..=40).contains(&v.key.len())
                && v.key
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !key_ok {
                errors.push(FieldError::new(
                    format!("values[{i}].key"),
                    "key",
                    "1–40 lower-case letters, digits or `_`",
                ));
            }
            for (field, label) in [("zh", &v.zh), ("en", &v.en)] {
                if label.is_empty() || label.chars().count() > 60 {
                    errors.push(FieldError::new(
                        format!("values[{i}].{field}"),
                        "length",
                        "a label of 1–60 characters",
                    ));
                }
            }
        }
        for (i, v) in self.values.iter().enumerate() {
            if seen.contains(&v.key.as_str()) {
                errors.push(FieldError::new(
                    format!("values[{i}].key"),
                    "unique",
                    format!("`{}` appears twice", v.key),
                ));
            }
            seen.push(&v.key);
        }
        for old in before {
            if !seen.contains(&old.key.as_str()) {
                errors.push(FieldError::new(
                    "values",
                    "kept",
                    format!(
                        "`{}` may be on stored records: set `active: false` instead of removing it",
                        old.key
                    ),
                ));
            }
        }
        if !self.values.iter().any(|v| v.active) {
            errors.push(FieldError::new(
                "values",
                "none_active",
                "keep at least one value active",
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(key: &str, active: bool) -> PicklistValue {
        PicklistValue {
            key: key.into(),
            zh: "中".into(),
            en: "En".into(),
            active,
        }
    }

    #[test]
    fn a_new_list_must_keep_every_old_key() {
        let before = defaults("lost_reason").expect("built in");
        let mut input = PicklistInput {
            values: before[1..].to_vec(),
        };
        let errors = input.normalize(&before).expect_err("price dropped");
        assert_eq!(errors[0].code, "kept");
        assert!(errors[0].message.contains("`price`"));
    }

    #[test]
    fn keys_are_checked_for_shape_and_repeats() {
        let mut input = PicklistInput {
            values: vec![
                value("ok_1", true),
                value("Bad Key", true),
                value("ok_1", false),
            ],
        };
        let errors = input.normalize(&[]).expect_err("two problems");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["values[1].key", "values[2].key"]);
    }

    #[test]
    fn inactive_values_are_kept_but_not_allowed() {
        let list = Picklist {
            name: "source".into(),
            values: vec![value("a", true), value("b", false)],
            version: 1,
        };
        assert!(list.allows("a"));
        assert!(!list.allows("b"));
        assert!(!list.allows("c"));
    }

    #[test]
    fn a_list_needs_an_active_value() {
        let mut input = PicklistInput {
            values: vec![value("a", false)],
        };
        let errors = input.normalize(&[]).expect_err("none active");
        assert_eq!(errors[0].field, "values");
        assert_eq!(errors[0].code, "none_active");
    }
}
