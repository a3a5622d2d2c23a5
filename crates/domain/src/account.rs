//! Accounts (企业客户): company customers.

use crate::fields::trim_opt;
use crate::money::Money;
use crate::normalize;
use crate::pinyin::{self, NameKind};
use crate::problem::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

/// Class (客户类别), set by people.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AccountClass {
    /// 潜在客户
    #[default]
    Potential,
    /// 目标客户
    Target,
    /// 重点客户
    Key,
}

impl AccountClass {
    pub const ALL: [AccountClass; 3] = [
        AccountClass::Potential,
        AccountClass::Target,
        AccountClass::Key,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccountClass::Potential => "potential",
            AccountClass::Target => "target",
            AccountClass::Key => "key",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The built-in industry and source lists (labels for keys; organizations may edit theirs).
pub use crate::picklist::{Choice, INDUSTRIES, SOURCES};

/// An account as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "深圳市丰泽日用品有限公司"))]
    pub name: String,
    /// 统一社会信用代码.
    #[cfg_attr(feature = "openapi", schema(example = "91440300708461136T"))]
    pub credit_code: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "manufacturing"))]
    pub industry: Option<String>,
    /// Number of employees.
    pub employees: Option<i32>,
    pub annual_revenue: Option<Money>,
    /// GB/T 2260 region code (province, city or district).
    #[cfg_attr(feature = "openapi", schema(example = "440305"))]
    pub region: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    /// E.164.
    #[cfg_attr(feature = "openapi", schema(example = "+8675588886666"))]
    pub phone: Option<String>,
    pub source: Option<String>,
    pub class: AccountClass,
    /// `null` while the account is in a customer pool (`pool_id`).
    pub owner_id: Option<Uuid>,
    /// The customer pool (公海) the account is in, unowned; `null` while someone owns it.
    pub pool_id: Option<Uuid>,
    /// When it returns to its owner's pool unless followed up (its class's rule in that pool);
    /// `null` when no rule applies. Derived: it does not change the account's version.
    pub recycle_at: Option<DateTime<Utc>>,
    pub tags: Vec<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    /// Set while the account is in the recycle bin.
    pub deleted_at: Option<DateTime<Utc>>,
    /// The latest `occurred_at` of the account's live activities, its contacts' and opportunities'
    /// included (open and cancelled tasks do not count). Derived: it does not change the account's
    /// version.
    pub last_activity_at: Option<DateTime<Utc>>,
    /// No activity (nor creation) within the organization's `neglect_days` (computed).
    pub neglected: bool,
    /// Values of the organization's custom fields, by key (`GET /metadata/{plural}` describes them).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom: crate::custom::CustomValues,
}

/// The writable fields of an account: the body of `POST /accounts`, and what a PATCH is applied to.
#[domain_macros::patchable(AccountPatch, from = Account, path = "/accounts/{id}")]
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountInput {
    #[validate(length(min = 1, max = 200))]
    #[cfg_attr(feature = "openapi", schema(example = "深圳市丰泽日用品有限公司"))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(example = "91440300708461136T"))]
    pub credit_code: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "manufacturing"))]
    pub industry: Option<String>,
    #[validate(range(min = 0, max = 10_000_000))]
    pub employees: Option<i32>,
    pub annual_revenue: Option<Money>,
    #[cfg_attr(feature = "openapi", schema(example = "440305"))]
    pub region: Option<String>,
    #[validate(length(max = 500))]
    pub address: Option<String>,
    #[validate(length(max = 300))]
    pub website: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "0755-8888 6666"))]
    pub phone: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "trade_show"))]
    pub source: Option<String>,
    #[serde(default)]
    pub class: AccountClass,
    /// Defaults to the caller.
    #[patch(keep)]
    pub owner_id: Option<Uuid>,
    #[serde(default)]
    #[validate(length(max = 20))]
    pub tags: Vec<String>,
    /// Values of the organization's custom fields, by key; `null` or absent leaves a field empty.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom: crate::custom::CustomValues,
}

impl AccountInput {
    /// Merge: blanks filled from `other`, tags combined; everything set here is kept.
    pub fn fill_from(&mut self, other: &AccountInput) {
        use crate::fields::{fill, union};
        fill(&mut self.credit_code, &other.credit_code);
        fill(&mut self.industry, &other.industry);
        fill(&mut self.employees, &other.employees);
        fill(&mut self.annual_revenue, &other.annual_revenue);
        fill(&mut self.region, &other.region);
        fill(&mut self.address, &other.address);
        fill(&mut self.website, &other.website);
        fill(&mut self.phone, &other.phone);
        fill(&mut self.source, &other.source);
        union(&mut self.tags, &other.tags);
        crate::custom::fill(&mut self.custom, &other.custom);
    }

    /// Validates and normalizes in place (trimmed text, E.164 phone, upper-case credit code,
    /// `https://` website, distinct tags). Every invalid field is reported, not just the first.
    pub fn normalize(&mut self) -> Result<(), Vec<FieldError>> {
        self.name = self.name.trim().to_string();
        for f in [
            &mut self.credit_code,
            &mut self.industry,
            &mut self.region,
            &mut self.address,
        ] {
            trim_opt(f);
        }
        for f in [&mut self.website, &mut self.phone, &mut self.source] {
            trim_opt(f);
        }
        let mut errors = crate::problem::validation_errors(self.validate().err());
        let mut fail =
            |field: &str, code: &str, msg: &str| errors.push(FieldError::new(field, code, msg));

        if let Some(code) = &self.credit_code {
            let n = crate::credit_code::normalize(code);
            if crate::credit_code::is_valid(&n) {
                self.credit_code = Some(n);
            } else {
                fail(
                    "credit_code",
                    "credit_code",
                    "not a valid unified social credit code (18 characters with a check character)",
                );
            }
        }
        if let Some(r) = &self.region {
            if !(r.len() == 6 && r.bytes().all(|b| b.is_ascii_digit())) {
                fail(
                    "region",
                    "region",
                    "a 6-digit GB/T 2260 region code such as 440305",
                );
            }
        }
        if let Some(p) = &self.phone {
            match normalize::phone(p) {
                Ok(e164) => self.phone = Some(e164),
                Err(msg) => fail("phone", "phone", msg),
            }
        }
        if let Some(w) = &self.website {
            let url = if w.contains("://") {
                w.clone()
            } else {
                format!("https://{w}")
            };
            let host = url
                .split_once("://")
                .map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""));
            let ok = (url.starts_with("http://") || url.starts_with("https://"))
                && host.is_some_and(|h| h.contains('.') && !h.contains(' '));
            if ok {
                self.website = Some(url);
            } else {
                fail("website", "url", "not a web address");
            }
        }
        if let Some(m) = &self.annual_revenue {
            for (sub, code, msg) in m.problems() {
                fail(&format!("annual_revenue.{sub}"), code, &msg);
            }
        }
        crate::fields::tags(&mut self.tags, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The duplicate key of the name (see [`normalize::company_key`]).
    pub fn name_key(&self) -> String {
        normalize::company_key(&self.name)
    }

    /// The text quick search and global search match: name, credit code, phone (E.164 and national),
    /// website, address, and the name's pinyin forms.
    pub fn search_text(&self) -> String {
        let national = self.phone.as_deref().map(normalize::phone_national);
        let digits = self
            .phone
            .as_deref()
            .map(|p| p.trim_start_matches('+').to_string());
        let pinyin = pinyin::forms(&self.name, NameKind::Organization);
        normalize::search_text(
            [
                Some(self.name.as_str()),
                self.credit_code.as_deref(),
                digits.as_deref(),
                national.as_deref(),
                self.website.as_deref(),
                self.address.as_deref(),
            ]
            .into_iter()
            .flatten()
            .chain(pinyin.iter().map(String::as_str)),
        )
    }
}

/// The body of `POST /accounts/merge` and friends will grow here; for now duplicates are reported by create.
#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> AccountInput {
        AccountInput {
            name: " 深圳市丰泽日用品有限公司 ".into(),
            ..Default::default()
        }
    }

    #[test]
    fn normalizes_fields() {
        let mut a = input();
        a.phone = Some("0755-8888 6666".into());
        a.credit_code = Some("91440300708461136t".into());
        a.website = Some("fengze.example.cn".into());
        a.tags = vec![" vip".into(), "vip".into(), "华南".into()];
        a.normalize().expect("valid");
        assert_eq!(a.name, "深圳市丰泽日用品有限公司");
        assert_eq!(a.phone.as_deref(), Some("+8675588886666"));
        assert_eq!(a.credit_code.as_deref(), Some("91440300708461136T"));
        assert_eq!(a.website.as_deref(), Some("https://fengze.example.cn"));
        assert_eq!(a.tags, ["vip", "华南"]);
        assert!(a.search_text().contains("075588886666"));
    }

    #[test]
    /// Picklist keys are checked against the organization's lists in persistence.
    fn reports_every_bad_field() {
        let mut a = AccountInput {
            name: "".into(),
            credit_code: Some("123".into()),
            region: Some("44".into()),
            phone: Some("abc".into()),
            website: Some("not a site".into()),
            employees: Some(-1),
            ..Default::default()
        };
        let errors = a.normalize().expect_err("invalid");
        let mut fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        fields.sort();
        assert_eq!(
            fields,
            [
                "credit_code",
                "employees",
                "name",
                "phone",
                "region",
                "website"
            ]
        );
    }

    #[test]
    fn patch_null_clears_and_absent_keeps() {
        let mut a = input();
        a.phone = Some("+8613800138000".into());
        a.address = Some("深圳".into());
        let p: AccountPatch =
            serde_json::from_str(r#"{"phone": null, "class": "key"}"#).expect("patch");
        a.apply(p);
        assert_eq!(a.phone, None);
        assert_eq!(a.address.as_deref(), Some("深圳"));
        assert_eq!(a.class, AccountClass::Key);
    }
}
