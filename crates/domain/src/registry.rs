//! The entity registry: each business entity described once, for every layer — the server's
//! global search, transfers, duplicate groups, API-key scopes and metadata API, and the web app's
//! routes and labels (it compiles this same module). Taking part in a cross-cutting feature is a
//! flag in the entity's description, not an edit in each feature. `persistence::stores` binds each
//! description to its table and queries.

pub mod fields;

use serde::{Deserialize, Serialize};

/// A name in both of the product's languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Label {
    pub zh: &'static str,
    pub en: &'static str,
}

/// A name in zh-CN and en.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Names {
    #[cfg_attr(feature = "openapi", schema(example = "客户"))]
    pub zh: String,
    #[cfg_attr(feature = "openapi", schema(example = "Account"))]
    pub en: String,
}

impl From<Label> for Names {
    fn from(l: Label) -> Self {
        Names {
            zh: l.zh.into(),
            en: l.en.into(),
        }
    }
}

/// The cross-cutting features an entity takes part in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Joins {
    /// Global search (`GET /search`) lists its records.
    pub search: bool,
    /// Its records have a timeline (`/{plural}/{id}/timeline`).
    pub timeline: bool,
    /// Activities can be attached to its records.
    pub activities: bool,
    /// A leaver's records of this kind move to a colleague (`POST /users/{id}/transfer`).
    pub transfer: bool,
    /// Duplicates are grouped (`GET /duplicates?entity=`) and may be merged.
    pub duplicates: bool,
    /// API keys take `{plural}:read` and `{plural}:write`.
    pub scopes: bool,
    /// Admins may add custom fields (`POST /custom-fields`); records carry them in `custom`.
    pub custom_fields: bool,
    /// Unowned records wait in customer pools (公海) to be claimed (`/account-pools`).
    pub pool: bool,
}

/// One business entity.
#[derive(Debug, PartialEq, Eq)]
pub struct Entity {
    /// Its name in events, search hits, timelines and audit (`account`).
    pub name: &'static str,
    /// Its collection: the API path (`/accounts`), the table and the scope module.
    pub plural: &'static str,
    pub label: Label,
    /// The collection's name (`客户` / `Accounts`).
    pub plural_label: Label,
    /// What the collection holds, in a phrase (its tag in the API document).
    pub about: &'static str,
    /// Records have an owner, whose visibility rules apply.
    pub owned: bool,
    /// The normalized fields two records share when they may be one customer.
    pub duplicate_keys: &'static [&'static str],
    pub joins: Joins,
    /// Its built-in fields in form order (the organization's custom fields follow them).
    pub fields: &'static [fields::FieldDef],
}

pub static ACCOUNT: Entity = Entity {
    name: "account",
    plural: "accounts",
    label: Label {
        zh: "客户",
        en: "Account",
    },
    plural_label: Label {
        zh: "客户",
        en: "Accounts",
    },
    about: "Company customers",
    owned: true,
    duplicate_keys: &["credit_code", "name"],
    joins: Joins {
        search: true,
        timeline: true,
        activities: true,
        transfer: true,
        duplicates: true,
        scopes: true,
        custom_fields: true,
        pool: true,
    },
    fields: fields::ACCOUNT_FIELDS,
};

pub static CONTACT: Entity = Entity {
    name: "contact",
    plural: "contacts",
    label: Label {
        zh: "联系人",
        en: "Contact",
    },
    plural_label: Label {
        zh: "联系人",
        en: "Contacts",
    },
    about: "People at accounts",
    owned: true,
    duplicate_keys: &["phone", "email"],
    joins: Joins {
        search: true,
        timeline: true,
        activities: true,
        transfer: true,
        duplicates: true,
        scopes: true,
        custom_fields: true,
        pool: false,
    },
    fields: fields::CONTACT_FIELDS,
};

pub static LEAD: Entity = Entity {
    name: "lead",
    plural: "leads",
    label: Label {
        zh: "线索",
        en: "Lead",
    },
    plural_label: Label {
        zh: "线索",
        en: "Leads",
    },
    about: "Unqualified prospects and their conversion",
    owned: true,
    duplicate_keys: &["phone", "email"],
    joins: Joins {
        search: true,
        timeline: true,
        activities: true,
        transfer: true,
        duplicates: true,
        scopes: true,
        custom_fields: true,
        pool: false,
    },
    fields: fields::LEAD_FIELDS,
};

pub static OPPORTUNITY: Entity = Entity {
    name: "opportunity",
    plural: "opportunities",
    label: Label {
        zh: "商机",
        en: "Opportunity",
    },
    plural_label: Label {
        zh: "商机",
        en: "Opportunities",
    },
    about: "Deals, stage moves and the forecast",
    owned: true,
    duplicate_keys: &[],
    joins: Joins {
        search: true,
        timeline: true,
        activities: true,
        transfer: true,
        duplicates: false,
        scopes: true,
        custom_fields: true,
        pool: false,
    },
    fields: fields::OPPORTUNITY_FIELDS,
};

pub static ACTIVITY: Entity = Entity {
    name: "activity",
    plural: "activities",
    label: Label {
        zh: "活动",
        en: "Activity",
    },
    plural_label: Label {
        zh: "活动",
        en: "Activities",
    },
    about: "Calls, visits, meetings, emails, notes and tasks",
    owned: true,
    duplicate_keys: &[],
    joins: Joins {
        search: false,
        timeline: false,
        activities: false,
        transfer: true,
        duplicates: false,
        scopes: true,
        custom_fields: false,
        pool: false,
    },
    fields: &[],
};

pub static PRODUCT: Entity = Entity {
    name: "product",
    plural: "products",
    label: Label {
        zh: "产品",
        en: "Product",
    },
    plural_label: Label {
        zh: "产品",
        en: "Products",
    },
    // The organization's catalogue: every member reads it.
    about: "The product catalogue and its category tree",
    owned: false,
    duplicate_keys: &[],
    joins: Joins {
        search: true,
        timeline: false,
        activities: false,
        transfer: false,
        duplicates: false,
        scopes: true,
        custom_fields: true,
        pool: false,
    },
    fields: fields::PRODUCT_FIELDS,
};

/// Every entity, in the order the product lists them (search groups, transfer counts).
pub static ENTITIES: &[&Entity] = &[&ACCOUNT, &CONTACT, &LEAD, &OPPORTUNITY, &ACTIVITY, &PRODUCT];

/// API-key scopes of the platform's own modules, which are not business entities.
pub const PLATFORM_SCOPES: &[&str] = &[
    "users:read",
    "users:write",
    "search:read",
    "settings:read",
    "settings:write",
    "webhooks:read",
    "webhooks:write",
];

/// The entity named `name` (`account`).
pub fn entity(name: &str) -> Option<&'static Entity> {
    ENTITIES.iter().copied().find(|e| e.name == name)
}

/// The entity whose collection is `plural` (`accounts`).
pub fn collection(plural: &str) -> Option<&'static Entity> {
    ENTITIES.iter().copied().find(|e| e.plural == plural)
}

/// The entities that take part in a feature: `joining(|j| j.transfer)`.
pub fn joining(feature: fn(&Joins) -> bool) -> impl Iterator<Item = &'static Entity> {
    ENTITIES.iter().copied().filter(move |e| feature(&e.joins))
}

/// Every scope an API key may hold: `{plural}:read|write` of the entities with scopes, then the
/// platform's.
pub fn api_key_scopes() -> Vec<String> {
    joining(|j| j.scopes)
        .flat_map(|e| [format!("{}:read", e.plural), format!("{}:write", e.plural)])
        .chain(PLATFORM_SCOPES.iter().map(|s| s.to_string()))
        .collect()
}

/// Defines `$ty`, a registered entity that takes part in the feature `$join`, written in the API
/// as its `$key` (`name` or `plural`): parsed against the registry, serialized as that string,
/// and documented in OpenAPI as the enum of those strings.
#[macro_export]
macro_rules! entity_kind {
    ($(#[$doc:meta])* $ty:ident, join = $join:ident, key = $key:ident, summary = $summary:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $ty(pub &'static $crate::registry::Entity);

        impl $ty {
            /// Every one, in the registry's order.
            pub fn all() -> Vec<$ty> {
                $crate::registry::joining(|j| j.$join).map($ty).collect()
            }

            pub fn parse(s: &str) -> Option<$ty> {
                $crate::registry::joining(|j| j.$join)
                    .find(|e| e.$key == s)
                    .map($ty)
            }

            pub fn as_str(self) -> &'static str {
                self.0.$key
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as serde::Deserialize>::deserialize(d)?;
                $ty::parse(&s).ok_or_else(|| {
                    let known: Vec<&str> = $ty::all().iter().map(|k| k.as_str()).collect();
                    serde::de::Error::custom(format!("`{s}` is not one of {}", known.join(", ")))
                })
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $ty {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some($summary))
                    .enum_values(Some($ty::all().into_iter().map(|k| k.as_str())))
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $ty {}
    };
}

impl Entity {
    /// The enum value that field `name` belongs to, when a value requires it: `("status",
    /// "disqualified")` for a lead's `disqualify_reason`. Forms and pages show it only then.
    pub fn required_by(&self, name: &str) -> Option<(&'static str, &'static str)> {
        self.fields.iter().find_map(|f| match f.input {
            fields::Input::Enum(choices) => choices
                .iter()
                .find(|c| c.requires == Some(name))
                .map(|c| (f.name, c.key)),
            _ => None,
        })
    }

    /// The built-in field named `name`.
    pub fn field(&self, name: &str) -> Option<&'static fields::FieldDef> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The label in `locale` (`en`, otherwise Chinese).
    pub fn label_in(&self, locale: &str) -> &'static str {
        if locale.starts_with("en") {
            self.label.en
        } else {
            self.label.zh
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_collections_are_unique_and_found() {
        for (i, e) in ENTITIES.iter().enumerate() {
            assert_eq!(entity(e.name), Some(*e));
            assert_eq!(collection(e.plural), Some(*e));
            assert!(ENTITIES[i + 1..]
                .iter()
                .all(|o| o.name != e.name && o.plural != e.plural));
        }
        assert_eq!(entity("nothing"), None);
    }

    #[test]
    fn duplicate_groups_need_duplicate_keys() {
        for e in ENTITIES {
            assert_eq!(
                e.joins.duplicates,
                !e.duplicate_keys.is_empty(),
                "{}",
                e.name
            );
        }
    }

    #[test]
    fn scopes_cover_every_entity_and_the_platform() {
        let scopes = api_key_scopes();
        assert!(scopes.contains(&"accounts:read".to_string()));
        assert!(scopes.contains(&"activities:write".to_string()));
        assert!(scopes.contains(&"settings:write".to_string()));
        assert_eq!(
            scopes.len(),
            2 * joining(|j| j.scopes).count() + PLATFORM_SCOPES.len()
        );
    }
}
