//! Leads (线索): unqualified prospects, worked new → contacted → qualified and then converted into
//! an account, a contact and optionally an opportunity, or disqualified with a reason.

use crate::account::{Account, AccountClass, AccountInput};
use crate::contact::{Contact, ContactInput};
use crate::fields::trim_opt;
use crate::money::Money;
use crate::normalize;
use crate::opportunity::{Opportunity, OpportunityInput};
use crate::pinyin::{self, NameKind};
use crate::problem::FieldError;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::{Validate, ValidateEmail};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeadStatus {
    /// 新线索
    #[default]
    New,
    /// 已联系
    Contacted,
    /// 已确认
    Qualified,
    /// 已转化 (only through `POST /leads/{id}/convert`)
    Converted,
    /// 无效 (with a reason)
    Disqualified,
}

impl LeadStatus {
    pub const ALL: [LeadStatus; 5] = [
        LeadStatus::New,
        LeadStatus::Contacted,
        LeadStatus::Qualified,
        LeadStatus::Converted,
        LeadStatus::Disqualified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LeadStatus::New => "new",
            LeadStatus::Contacted => "contacted",
            LeadStatus::Qualified => "qualified",
            LeadStatus::Converted => "converted",
            LeadStatus::Disqualified => "disqualified",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Lead {
    pub id: Uuid,
    /// The person.
    #[cfg_attr(feature = "openapi", schema(example = "李强"))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(example = "广州市白云日化有限公司"))]
    pub company: Option<String>,
    pub title: Option<String>,
    /// E.164.
    #[cfg_attr(feature = "openapi", schema(example = "+8613912345678"))]
    pub phone: Option<String>,
    /// Lower case.
    pub email: Option<String>,
    /// GB/T 2260 region code.
    pub region: Option<String>,
    pub address: Option<String>,
    /// A key of the `industry` picklist.
    pub industry: Option<String>,
    /// A key of the `source` picklist.
    pub source: Option<String>,
    pub description: Option<String>,
    pub status: LeadStatus,
    /// A key of the `disqualify_reason` picklist, while disqualified.
    pub disqualify_reason: Option<String>,
    /// Set by conversion, with what it converted into.
    pub converted_at: Option<DateTime<Utc>>,
    pub converted_by: Option<Uuid>,
    pub account_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub opportunity_id: Option<Uuid>,
    pub owner_id: Uuid,
    pub tags: Vec<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    pub deleted_at: Option<DateTime<Utc>>,
    /// Values of the organization's custom fields, by key (`GET /metadata/{plural}` describes them).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom: crate::custom::CustomValues,
}

/// The body of `POST /leads`, and what a PATCH is applied to.
#[domain_macros::patchable(LeadPatch, from = Lead, path = "/leads/{id}", apply = apply_fields)]
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LeadInput {
    #[validate(length(min = 1, max = 100))]
    #[cfg_attr(feature = "openapi", schema(example = "李强"))]
    pub name: String,
    #[validate(length(max = 200))]
    #[cfg_attr(feature = "openapi", schema(example = "广州市白云日化有限公司"))]
    pub company: Option<String>,
    #[validate(length(max = 100))]
    pub title: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "139 1234 5678"))]
    pub phone: Option<String>,
    pub email: Option<String>,
    pub region: Option<String>,
    #[validate(length(max = 300))]
    pub address: Option<String>,
    pub industry: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "trade_show"))]
    pub source: Option<String>,
    #[validate(length(max = 4000))]
    pub description: Option<String>,
    /// `new`, `contacted`, `qualified` or `disqualified` (default `new`).
    #[serde(default)]
    pub status: LeadStatus,
    /// Required with `status: disqualified`: a key of the `disqualify_reason` picklist.
    pub disqualify_reason: Option<String>,
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

impl LeadInput {
    /// Applies a PATCH. Leaving `disqualified` drops the reason unless the patch sets one
    /// (which is then refused).
    pub fn apply(&mut self, p: LeadPatch) {
        if matches!(p.status, Some(s) if s != LeadStatus::Disqualified)
            && p.disqualify_reason.is_none()
        {
            self.disqualify_reason = None;
        }
        self.apply_fields(p);
    }

    /// Validates and normalizes in place: trimmed text, an E.164 phone, a lower-case email, the
    /// status rules. Picklist keys and the region are checked against the database by the caller.
    pub fn normalize(&mut self) -> Result<(), Vec<FieldError>> {
        self.name = self.name.trim().to_string();
        for f in [
            &mut self.company,
            &mut self.title,
            &mut self.phone,
            &mut self.email,
            &mut self.region,
            &mut self.address,
            &mut self.industry,
            &mut self.source,
            &mut self.description,
            &mut self.disqualify_reason,
        ] {
            trim_opt(f);
        }
        let mut errors = crate::problem::validation_errors(self.validate().err());
        if let Some(p) = &self.phone {
            match normalize::phone(p) {
                Ok(e164) => self.phone = Some(e164),
                Err(msg) => errors.push(FieldError::new("phone", "phone", msg)),
            }
        }
        if let Some(e) = &self.email {
            let e = normalize::email(e);
            if !e.validate_email() || e.len() > 254 {
                errors.push(FieldError::new(
                    "email",
                    "email",
                    "not a valid email address",
                ));
            } else {
                self.email = Some(e);
            }
        }
        if let Some(r) = &self.region {
            if !(r.len() == 6 && r.bytes().all(|b| b.is_ascii_digit())) {
                errors.push(FieldError::new(
                    "region",
                    "region",
                    "a 6-digit GB/T 2260 region code such as 440305",
                ));
            }
        }
        match self.status {
            LeadStatus::Converted => errors.push(FieldError::new(
                "status",
                "status",
                "a lead is converted with POST /leads/{id}/convert",
            )),
            LeadStatus::Disqualified if self.disqualify_reason.is_none() => {
                errors.push(FieldError::new(
                    "disqualify_reason",
                    "required",
                    "say why the lead is disqualified",
                ))
            }
            LeadStatus::Disqualified => {}
            _ if self.disqualify_reason.is_some() => errors.push(FieldError::new(
                "disqualify_reason",
                "status",
                "only a disqualified lead has a reason",
            )),
            _ => {}
        }
        crate::fields::tags(&mut self.tags, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// What quick search and global search match: person, company, title, phone, email, and the
    /// pinyin forms of the person's and the company's names.
    pub fn search_text(&self) -> String {
        let mut fields: Vec<String> = vec![self.name.clone()];
        fields.extend(self.company.clone());
        fields.extend(self.title.clone());
        if let Some(p) = &self.phone {
            fields.push(p.trim_start_matches('+').to_string());
            fields.push(normalize::phone_national(p));
        }
        fields.extend(self.email.clone());
        fields.extend(pinyin::forms(&self.name, NameKind::Person));
        if let Some(company) = &self.company {
            fields.extend(pinyin::forms(company, NameKind::Organization));
        }
        normalize::search_text(fields.iter().map(String::as_str))
    }
}

/// `POST /leads/{id}/convert`: what the lead becomes. Everything happens in one transaction.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConvertRequest {
    /// Link to this existing account instead of creating one.
    pub account_id: Option<Uuid>,
    /// The new account's name; defaults to the lead's company, else the person's name.
    #[cfg_attr(feature = "openapi", schema(example = "广州市白云日化有限公司"))]
    pub account_name: Option<String>,
    /// Link to this existing contact instead of creating one.
    pub contact_id: Option<Uuid>,
    /// Also open a deal at the account.
    pub opportunity: Option<ConvertOpportunity>,
    /// Owner of what is created; defaults to the lead's owner.
    pub owner_id: Option<Uuid>,
}

/// The deal a conversion opens.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConvertOpportunity {
    #[cfg_attr(feature = "openapi", schema(example = "白云日化 2027 年度洗衣液采购"))]
    pub name: String,
    pub amount: Option<Money>,
    pub expected_close: Option<NaiveDate>,
    /// Defaults to the organization's default pipeline.
    pub pipeline_id: Option<Uuid>,
    /// An open stage of the pipeline; defaults to its first.
    pub stage_id: Option<Uuid>,
}

/// What a conversion produced.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConvertResult {
    pub lead: Lead,
    pub account: Account,
    /// False when the lead was linked to an existing account.
    pub account_created: bool,
    pub contact: Contact,
    pub contact_created: bool,
    pub opportunity: Option<Opportunity>,
}

impl Lead {
    /// The account a conversion creates, before normalization.
    pub fn account_input(&self, name: Option<&str>, owner_id: Uuid) -> AccountInput {
        let name = name
            .map(str::to_string)
            .or_else(|| self.company.clone())
            .unwrap_or_else(|| self.name.clone());
        AccountInput {
            name,
            industry: self.industry.clone(),
            region: self.region.clone(),
            address: self.address.clone(),
            source: self.source.clone(),
            class: AccountClass::Potential,
            owner_id: Some(owner_id),
            tags: self.tags.clone(),
            ..Default::default()
        }
    }

    /// The contact a conversion creates, at `account_id`.
    pub fn contact_input(&self, account_id: Uuid, owner_id: Uuid) -> ContactInput {
        ContactInput {
            name: self.name.clone(),
            title: self.title.clone(),
            account_id: Some(account_id),
            phones: self.phone.clone().into_iter().collect(),
            emails: self.email.clone().into_iter().collect(),
            owner_id: Some(owner_id),
            tags: self.tags.clone(),
            ..Default::default()
        }
    }
}

impl ConvertOpportunity {
    /// The opportunity input, at the converted account and contact.
    pub fn input(
        &self,
        account_id: Uuid,
        contact_id: Uuid,
        source: Option<String>,
        owner_id: Uuid,
    ) -> OpportunityInput {
        OpportunityInput {
            name: self.name.clone(),
            account_id,
            contact_id: Some(contact_id),
            amount: self.amount.clone(),
            expected_close: self.expected_close,
            pipeline_id: self.pipeline_id,
            stage_id: self.stage_id,
            source,
            owner_id: Some(owner_id),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disqualifying_needs_a_reason_and_leaving_it_drops_the_reason() {
        let mut l = LeadInput {
            name: "李强".into(),
            status: LeadStatus::Disqualified,
            ..Default::default()
        };
        let errors = l.normalize().expect_err("no reason");
        assert_eq!(errors[0].field, "disqualify_reason");
        l.disqualify_reason = Some("no_need".into());
        assert!(l.normalize().is_ok());
        l.apply(LeadPatch {
            status: Some(LeadStatus::Contacted),
            ..Default::default()
        });
        assert_eq!(l.disqualify_reason, None);
        assert!(l.normalize().is_ok());
    }

    #[test]
    fn converted_cannot_be_written_and_contacts_are_normalized() {
        let mut l = LeadInput {
            name: " 李强 ".into(),
            phone: Some("139 1234 5678".into()),
            email: Some(" Li@Example.COM ".into()),
            status: LeadStatus::Converted,
            ..Default::default()
        };
        let errors = l.normalize().expect_err("converted");
        assert_eq!(errors[0].field, "status");
        assert_eq!(l.phone.as_deref(), Some("+8613912345678"));
        assert_eq!(l.email.as_deref(), Some("li@example.com"));
    }
}
