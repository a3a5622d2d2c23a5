//! Products (产品): the organization's catalogue — code (产品代码, unique), name, spec (规格),
//! model (型号), unit (计量单位), unit price — in a category tree (大类 > 小类).

use crate::fields::trim_opt;
use crate::money::Money;
use crate::patch::double_option;
use crate::problem::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

/// A product as the API returns it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Product {
    pub id: Uuid,
    /// 产品代码: unique among the organization's live products (case-insensitive).
    #[cfg_attr(feature = "openapi", schema(example = "FZ-SOAP-200"))]
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(example = "丰泽香皂"))]
    pub name: String,
    /// 规格.
    #[cfg_attr(feature = "openapi", schema(example = "200g×48块/箱"))]
    pub spec: Option<String>,
    /// 型号.
    pub model: Option<String>,
    /// 计量单位.
    #[cfg_attr(feature = "openapi", schema(example = "箱"))]
    pub unit: Option<String>,
    pub unit_price: Option<Money>,
    pub remarks: Option<String>,
    /// Inactive products stay on old records but are not offered for new ones.
    pub active: bool,
    pub category_id: Option<Uuid>,
    /// Values of the organization's custom fields, by key.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom: crate::custom::CustomValues,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub created_by: Uuid,
    pub updated_by: Uuid,
    pub deleted_at: Option<DateTime<Utc>>,
}

/// The writable fields of a product: the body of `POST /products`, and what a PATCH is applied to.
#[domain_macros::patchable(ProductPatch, from = Product, path = "/products/{id}")]
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    #[validate(length(min = 1, max = 60))]
    #[cfg_attr(feature = "openapi", schema(example = "FZ-SOAP-200"))]
    pub code: String,
    #[validate(length(min = 1, max = 200))]
    #[cfg_attr(feature = "openapi", schema(example = "丰泽香皂"))]
    pub name: String,
    #[validate(length(max = 200))]
    pub spec: Option<String>,
    #[validate(length(max = 100))]
    pub model: Option<String>,
    #[validate(length(max = 20))]
    pub unit: Option<String>,
    pub unit_price: Option<Money>,
    #[validate(length(max = 2000))]
    pub remarks: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
    pub category_id: Option<Uuid>,
    /// Values of the organization's custom fields, by key.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub custom: crate::custom::CustomValues,
}

fn yes() -> bool {
    true
}

impl ProductInput {
    /// Trims text and checks lengths and the price: every bad field at once. Codes keep their
    /// case but compare without it (`fz-01` is `FZ-01`).
    pub fn normalize(&mut self) -> Result<(), Vec<FieldError>> {
        self.code = self.code.trim().to_string();
        self.name = self.name.trim().to_string();
        for f in [
            &mut self.spec,
            &mut self.model,
            &mut self.unit,
            &mut self.remarks,
        ] {
            trim_opt(f);
        }
        let mut errors = crate::problem::validation_errors(self.validate().err());
        if self.code.chars().any(char::is_whitespace) {
            errors.push(FieldError::new(
                "code",
                "code",
                "a product code has no spaces",
            ));
        }
        if let Some(m) = &self.unit_price {
            for (sub, code, message) in m.problems() {
                errors.push(FieldError::new(format!("unit_price.{sub}"), code, message));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// What quick search and global search match: code, name, spec, model and the name's
    /// pinyin forms.
    pub fn search_text(&self) -> String {
        let mut fields = vec![self.code.clone(), self.name.clone()];
        fields.extend(self.spec.clone());
        fields.extend(self.model.clone());
        fields.extend(crate::pinyin::forms(
            &self.name,
            crate::pinyin::NameKind::Organization,
        ));
        crate::normalize::search_text(fields.iter().map(String::as_str))
    }
}

/// A product category (产品分类): a node of the organization's tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductCategory {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "日化用品"))]
    pub name: String,
    /// `null` for a top-level category (大类).
    pub parent_id: Option<Uuid>,
    /// Its place among its siblings (ascending).
    pub position: i32,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /product-categories`.
#[domain_macros::openapi_rules]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProductCategoryInput {
    #[validate(length(min = 1, max = 60))]
    pub name: String,
    pub parent_id: Option<Uuid>,
    #[serde(default)]
    pub position: i32,
}

/// `PATCH /product-categories/{id}`: rename, move (under another category or to the top with
/// `parent_id: null`) or reorder.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProductCategoryPatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    pub parent_id: Option<Option<Uuid>>,
    pub position: Option<i32>,
}

impl ProductCategoryInput {
    pub fn normalize(&mut self) -> Result<(), Vec<FieldError>> {
        self.name = self.name.trim().to_string();
        let errors = crate::problem::validation_errors(self.validate().err());
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

    #[test]
    fn input_is_trimmed_checked_and_searchable_by_code_name_and_pinyin() {
        let mut p = ProductInput {
            code: " FZ-01 ".into(),
            name: " 丰泽香皂 ".into(),
            spec: Some("  ".into()),
            ..Default::default()
        };
        assert!(p.normalize().is_ok());
        assert_eq!(
            (p.code.as_str(), p.name.as_str(), p.spec.as_deref()),
            ("FZ-01", "丰泽香皂", None)
        );
        let text = p.search_text();
        assert!(
            text.contains("fz-01") && text.contains("丰泽香皂"),
            "{text}"
        );
        let mut bad = ProductInput {
            code: "A B".into(),
            name: String::new(),
            ..Default::default()
        };
        let fields: Vec<String> = bad
            .normalize()
            .expect_err("invalid")
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert!(
            fields.contains(&"code".to_string()) && fields.contains(&"name".to_string()),
            "{fields:?}"
        );
    }
}
