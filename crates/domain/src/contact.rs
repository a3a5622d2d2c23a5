//! Contacts (联系人): people, usually at an account.

use crate::fields::trim_opt;
use crate::normalize;
use crate::pinyin::{self, NameKind};
use crate::problem::FieldError;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::{Validate, ValidateEmail};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "王芳"))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(example = "采购经理"))]
    pub title: Option<String>,
    /// The account the person works at.
    pub account_id: Option<Uuid>,
    /// E.164, the first is the main one.
    #[cfg_attr(feature = "openapi", schema(example = json!(["+8613800138000"])))]
    pub phones: Vec<String>,
    /// Lower case, the first is the main one.
    #[cfg_attr(feature = "openapi", schema(example = json!(["wang.fang@example.com"])))]
    pub emails: Vec<String>,
    pub wechat: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub owner_id: Uuid,
    pub tags: Vec<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    /// Set while the contact is in the recycle bin.
    pub deleted_at: Option<DateTime<Utc>>,
    /// Values of the organization's custom fields, by key (`GET /metadata/{plural}` describes them).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom: crate::custom::CustomValues,
}

/// The writable fields of a contact: the body of `POST /contacts`, and what a PATCH is applied to.
#[domain_macros::patchable(ContactPatch, from = Contact, path = "/contacts/{id}")]
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    #[validate(length(min = 1, max = 100))]
    #[cfg_attr(feature = "openapi", schema(example = "王芳"))]
    pub name: String,
    #[validate(length(max = 100))]
    pub title: Option<String>,
    pub account_id: Option<Uuid>,
    #[serde(default)]
    #[validate(length(max = 10))]
    #[cfg_attr(feature = "openapi", schema(example = json!(["138 0013 8000"])))]
    pub phones: Vec<String>,
    #[serde(default)]
    #[validate(length(max = 10))]
    #[cfg_attr(feature = "openapi", schema(example = json!(["Wang.Fang@Example.com"])))]
    pub emails: Vec<String>,
    #[validate(length(max = 100))]
    pub wechat: Option<String>,
    pub birthday: Option<NaiveDate>,
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

impl ContactInput {
    /// Merge: blanks filled from `other`; phones, emails and tags combined.
    pub fn fill_from(&mut self, other: &ContactInput) {
        use crate::fields::{fill, union};
        fill(&mut self.title, &other.title);
        fill(&mut self.account_id, &other.account_id);
        fill(&mut self.wechat, &other.wechat);
        fill(&mut self.birthday, &other.birthday);
        union(&mut self.phones, &other.phones);
        union(&mut self.emails, &other.emails);
        union(&mut self.tags, &other.tags);
        crate::custom::fill(&mut self.custom, &other.custom);
    }

    /// Validates and normalizes in place: trimmed text, E.164 phones, lower-case emails, each
    /// list without repeats. Every invalid field is reported (`phones[1]`, `emails[0]`, …).
    pub fn normalize(&mut self) -> Result<(), Vec<FieldError>> {
        self.name = self.name.trim().to_string();
        for f in [&mut self.title, &mut self.wechat] {
            trim_opt(f);
        }
        let mut errors = crate::problem::validation_errors(self.validate().err());
        let mut phones: Vec<String> = Vec::new();
        for (i, p) in self.phones.iter().enumerate() {
            match normalize::phone(p) {
                Ok(e164) if !phones.contains(&e164) => phones.push(e164),
                Ok(_) => {}
                Err(msg) => errors.push(FieldError::new(format!("phones[{i}]"), "phone", msg)),
            }
        }
        self.phones = phones;
        let mut emails: Vec<String> = Vec::new();
        for (i, e) in self.emails.iter().enumerate() {
            let e = normalize::email(e);
            if !e.validate_email() || e.len() > 254 {
                errors.push(FieldError::new(
                    format!("emails[{i}]"),
                    "email",
                    "not a valid email address",
                ));
            } else if !emails.contains(&e) {
                emails.push(e);
            }
        }
        self.emails = emails;
        if let Some(b) = self.birthday {
            let today = Utc::now().date_naive();
            if b > today || b < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(b) {
                errors.push(FieldError::new(
                    "birthday",
                    "range",
                    "a date between 1900 and today",
                ));
            }
        }
        crate::fields::tags(&mut self.tags, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// What quick search and global search match: name, title, phones (E.164 digits and
    /// national), emails, WeChat, and the name's pinyin forms.
    pub fn search_text(&self) -> String {
        let mut fields: Vec<String> = vec![self.name.clone()];
        fields.extend(self.title.clone());
        for p in &self.phones {
            fields.push(p.trim_start_matches('+').to_string());
            fields.push(normalize::phone_national(p));
        }
        fields.extend(self.emails.iter().cloned());
        fields.extend(self.wechat.clone());
        fields.extend(pinyin::forms(&self.name, NameKind::Person));
        normalize::search_text(fields.iter().map(String::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_reports_each_bad_entry_and_dedupes_the_rest() {
        let mut c = ContactInput {
            name: " 王芳 ".into(),
            phones: vec![
                "138 0013 8000".into(),
                "+86 13800138000".into(),
                "12".into(),
            ],
            emails: vec![
                "Wang@Example.COM".into(),
                "wang@example.com".into(),
                "nope".into(),
            ],
            ..Default::default()
        };
        let errors = c.normalize().expect_err("two bad entries");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["phones[2]", "emails[2]"]);
        assert_eq!(c.phones, ["+8613800138000"]);
        assert_eq!(c.emails, ["wang@example.com"]);
        assert_eq!(c.name, "王芳");
    }
}
