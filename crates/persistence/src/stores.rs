//! How each entity of the registry (`domain::registry`) is stored: its list spec (table, columns,
//! filters), its display in global search and the SQL of its duplicate keys. The one place the
//! server binds a description to its queries; search, duplicate groups, transfers, custom values,
//! roll-ups and the plan check iterate the registry and find each entity's part here.
//!
//! Data only, below every module that writes records: the generic write path looks an entity up
//! by name here, and an entity's own module takes its spec from here (`use stores::X as SPEC`).

use crate::list::Field;
use crate::list::{Kind, Op, Spec};
use domain::custom::CustomField;
use domain::metadata::{EntityMeta, FieldMeta};
use domain::registry::{self, Entity};

pub struct Store {
    pub entity: &'static Entity,
    pub spec: &'static Spec,
    /// How its hits show in global search (entities that join search).
    pub search: Option<&'static SearchDisplay>,
    /// Per duplicate key of the entity (same order): the SQL yielding a row's key values.
    pub duplicate_sql: &'static [&'static str],
    /// The column holding the account a record belongs to (`id` for an account itself), for
    /// entities that take activities: an activity rolls up to that account's timeline.
    pub account_column: Option<&'static str>,
    /// Its records' events show on their account's timeline too (`account_column` names it).
    pub account_timeline: bool,
}

pub static STORES: &[Store] = &[
    Store {
        entity: &registry::ACCOUNT,
        spec: &ACCOUNTS,
        // The exact key is the duplicate key, so `丰泽日用品有限公司` ranks `丰泽日用品` first.
        search: Some(&SearchDisplay {
            title: "name",
            subtitle: "coalesce(credit_code, phone, website)",
            exact_key: Some(("name_key", domain::normalize::company_key)),
        }),
        duplicate_sql: &["credit_code", "name_key"],
        account_column: Some("id"),
        account_timeline: false,
    },
    Store {
        entity: &registry::CONTACT,
        spec: &CONTACTS,
        search: Some(&SearchDisplay {
            title: "name",
            subtitle: "coalesce(title, phones[1], emails[1])",
            exact_key: None,
        }),
        duplicate_sql: &["unnest(phones)", "unnest(emails)"],
        account_column: Some("account_id"),
        account_timeline: true,
    },
    Store {
        entity: &registry::LEAD,
        spec: &LEADS,
        search: Some(&SearchDisplay {
            title: "name",
            subtitle: "coalesce(company, phone, email)",
            exact_key: None,
        }),
        duplicate_sql: &["phone", "email"],
        account_column: Some("account_id"),
        account_timeline: false,
    },
    Store {
        entity: &registry::OPPORTUNITY,
        spec: &OPPORTUNITIES,
        search: Some(&SearchDisplay {
            title: "name",
            subtitle: "coalesce(amount::text || ' ' || currency, status)",
            exact_key: None,
        }),
        duplicate_sql: &[],
        account_column: Some("account_id"),
        account_timeline: true,
    },
    Store {
        entity: &registry::ACTIVITY,
        spec: &ACTIVITIES,
        search: None,
        duplicate_sql: &[],
        account_column: None,
        account_timeline: false,
    },
    Store {
        entity: &registry::PRODUCT,
        spec: &PRODUCTS,
        // A code typed whole finds its product first.
        search: Some(&SearchDisplay {
            title: "name",
            subtitle: "code",
            exact_key: Some(("lower(code)", product_code_key)),
        }),
        duplicate_sql: &[],
        account_column: None,
        account_timeline: false,
    },
];

/// Turns a search query into the value of an exact-match key column.
pub type KeyOf = fn(&str) -> String;

/// How an entity shows in global search: SQL for the hit's title and subtitle, and an optional
/// exact-match key (column, and how a query becomes that key).
pub struct SearchDisplay {
    pub title: &'static str,
    pub subtitle: &'static str,
    pub exact_key: Option<(&'static str, KeyOf)>,
}

// The list specs, one per entity: its table, the columns a list reads and what it filters and
// sorts by.

const ACCOUNT_CLASSES: &[&str] = &["potential", "target", "key"];

/// `neglected` in SQL: neither an activity nor the account's creation within the organization's
/// `neglect_days`. `neglect_at` (last activity or creation, plus `neglect_days`) is kept in step
/// by [`crate::activities::refresh_accounts`] and [`crate::organizations::set_neglect_days`], so the
/// flag is right whenever it is read and `neglected=true` is a range over an index.
macro_rules! neglected_sql {
    () => {
        "(accounts.neglect_at <= now())"
    };
}

/// `neglected` in SQL, for the account row.
pub const NEGLECTED_SQL: &str = neglected_sql!();

pub static ACCOUNTS: Spec = Spec {
    table: "accounts",
    select: concat!(
        "id, name, credit_code, industry, employees, annual_revenue, annual_revenue_currency, region, \
         address, website, phone, source, class, owner_id, pool_id, recycle_at, tags, version, created_at, updated_at, created_by, updated_by, \
         deleted_at, last_activity_at, custom, ",
        neglected_sql!(),
        " AS neglected"
    ),
    fields: &[
        Field::new("id", Kind::Uuid),
        Field::new("name", Kind::Text).sortable(),
        Field::new("credit_code", Kind::Text).nullable(),
        Field::new("industry", Kind::Text).nullable(),
        Field::new("employees", Kind::Int).nullable().sortable(),
        Field::new("annual_revenue", Kind::Numeric).nullable().sortable().json_path("annual_revenue.amount").currency("annual_revenue_currency"),
        Field::new("currency", Kind::Text).nullable().column("annual_revenue_currency"),
        Field::new("region", Kind::Text).nullable(),
        Field::new("phone", Kind::Text).nullable(),
        Field::new("website", Kind::Text).nullable(),
        Field::new("source", Kind::Text).nullable(),
        Field::new("class", Kind::Enum(ACCOUNT_CLASSES)),
        Field::new("owner_id", Kind::Uuid).nullable(),
        Field::new("pool_id", Kind::Uuid).nullable(),
        Field::new("recycle_at", Kind::Timestamp).nullable().sortable(),
        Field::new("tags", Kind::Tags),
        Field::new("created_by", Kind::Uuid),
        Field::new("created_at", Kind::Timestamp).sortable(),
        Field::new("updated_at", Kind::Timestamp).sortable(),
        Field::new("deleted_at", Kind::Timestamp).nullable(),
        Field::new("last_activity_at", Kind::Timestamp).nullable().sortable(),
        Field::new("neglected", Kind::Bool).column(neglected_sql!()),
    ],
    default_sort: "-created_at",
    owner_column: Some("owner_id"),
    soft_delete: true,
    search: Some(("search_text", "search_grams")),
};

pub static CONTACTS: Spec = Spec {
    table: "contacts",
    select:
        "id, name, title, account_id, phones, emails, wechat, birthday, owner_id, tags, version, \
             created_at, updated_at, created_by, updated_by, deleted_at, custom",
    fields: &[
        Field::new("id", Kind::Uuid),
        Field::new("name", Kind::Text).sortable(),
        Field::new("title", Kind::Text).nullable(),
        Field::new("account_id", Kind::Uuid).nullable(),
        Field::new("phones", Kind::Tags),
        Field::new("emails", Kind::Tags),
        Field::new("wechat", Kind::Text).nullable(),
        Field::new("owner_id", Kind::Uuid),
        Field::new("tags", Kind::Tags),
        Field::new("created_by", Kind::Uuid),
        Field::new("created_at", Kind::Timestamp).sortable(),
        Field::new("updated_at", Kind::Timestamp).sortable(),
        Field::new("deleted_at", Kind::Timestamp).nullable(),
    ],
    default_sort: "-created_at",
    owner_column: Some("owner_id"),
    soft_delete: true,
    search: Some(("search_text", "search_grams")),
};

const LEAD_STATUSES: &[&str] = &["new", "contacted", "qualified", "converted", "disqualified"];

pub static LEADS: Spec = Spec {
    table: "leads",
    select: "id, name, company, title, phone, email, region, address, industry, source, \
             description, status, disqualify_reason, converted_at, converted_by, account_id, \
             contact_id, opportunity_id, owner_id, tags, version, created_at, updated_at, \
             created_by, updated_by, deleted_at, custom",
    fields: &[
        Field::new("id", Kind::Uuid),
        Field::new("name", Kind::Text).sortable(),
        Field::new("company", Kind::Text).nullable().sortable(),
        Field::new("title", Kind::Text).nullable(),
        Field::new("phone", Kind::Text).nullable(),
        Field::new("email", Kind::Text).nullable(),
        Field::new("region", Kind::Text).nullable(),
        Field::new("industry", Kind::Text).nullable(),
        Field::new("source", Kind::Text).nullable(),
        Field::new("status", Kind::Enum(LEAD_STATUSES)),
        Field::new("disqualify_reason", Kind::Text).nullable(),
        Field::new("account_id", Kind::Uuid).nullable(),
        Field::new("owner_id", Kind::Uuid),
        Field::new("tags", Kind::Tags),
        Field::new("created_by", Kind::Uuid),
        Field::new("converted_at", Kind::Timestamp).nullable(),
        Field::new("created_at", Kind::Timestamp).sortable(),
        Field::new("updated_at", Kind::Timestamp).sortable(),
        Field::new("deleted_at", Kind::Timestamp).nullable(),
    ],
    default_sort: "-created_at",
    owner_column: Some("owner_id"),
    soft_delete: true,
    search: Some(("search_text", "search_grams")),
};

const OPPORTUNITY_STATUSES: &[&str] = &["open", "won", "lost"];

pub static OPPORTUNITIES: Spec = Spec {
    table: "opportunities",
    select: "id, name, account_id, contact_id, amount, currency, expected_close, pipeline_id, stage_id, \
             status, probability, probability_overridden, source, campaign_id, competitors, close_reason, \
             lost_reason, closed_at, owner_id, tags, version, created_at, updated_at, created_by, updated_by, deleted_at, custom",
    fields: &[
        Field::new("id", Kind::Uuid),
        Field::new("name", Kind::Text).sortable(),
        Field::new("account_id", Kind::Uuid),
        Field::new("contact_id", Kind::Uuid).nullable(),
        Field::new("amount", Kind::Numeric).nullable().sortable().json_path("amount.amount").currency("currency"),
        Field::new("currency", Kind::Text).nullable(),
        Field::new("pipeline_id", Kind::Uuid),
        Field::new("stage_id", Kind::Uuid),
        Field::new("status", Kind::Enum(OPPORTUNITY_STATUSES)),
        Field::new("probability", Kind::Int).sortable(),
        Field::new("source", Kind::Text).nullable(),
        Field::new("campaign_id", Kind::Uuid).nullable(),
        Field::new("competitors", Kind::Tags),
        Field::new("lost_reason", Kind::Text).nullable(),
        Field::new("closed_at", Kind::Timestamp).nullable(),
        Field::new("owner_id", Kind::Uuid),
        Field::new("tags", Kind::Tags),
        Field::new("created_by", Kind::Uuid),
        Field::new("created_at", Kind::Timestamp).sortable(),
        Field::new("updated_at", Kind::Timestamp).sortable(),
        Field::new("deleted_at", Kind::Timestamp).nullable(),
    ],
    default_sort: "-created_at",
    owner_column: Some("owner_id"),
    soft_delete: true,
    search: Some(("search_text", "search_grams")),
};

const ACTIVITY_KINDS: &[&str] = &["call", "visit", "meeting", "email", "note", "task"];

const ACTIVITY_STATUSES: &[&str] = &["open", "done", "cancelled"];

/// `overdue` in SQL: an open task past its due time.
macro_rules! overdue_sql {
    () => {
        "(activities.kind = 'task' AND activities.status = 'open' AND activities.due_at < now())"
    };
}

/// `overdue` in SQL, for queries that read activities outside [`ACTIVITIES`] (timelines).
pub const OVERDUE_SQL: &str = overdue_sql!();

macro_rules! activity_select_sql {
    () => {
        concat!(
            "id, kind, subject, body, entity, entity_id, account_id, occurred_at, due_at, status, \
             reminder_at, owner_id, tags, version, created_at, updated_at, created_by, updated_by, \
             deleted_at, ",
            overdue_sql!(),
            " AS overdue"
        )
    };
}

pub static ACTIVITIES: Spec = Spec {
    table: "activities",
    select: activity_select_sql!(),
    fields: &[
        Field::new("id", Kind::Uuid),
        Field::new("kind", Kind::Enum(ACTIVITY_KINDS)),
        Field::new("subject", Kind::Text),
        Field::new("entity", Kind::Entity(|j| j.activities)),
        Field::new("entity_id", Kind::Uuid),
        Field::new("account_id", Kind::Uuid).nullable(),
        Field::new("occurred_at", Kind::Timestamp)
            .nullable()
            .sortable(),
        Field::new("due_at", Kind::Timestamp).nullable().sortable(),
        Field::new("status", Kind::Enum(ACTIVITY_STATUSES)).nullable(),
        Field::new("reminder_at", Kind::Timestamp).nullable(),
        Field::new("overdue", Kind::Bool).column(overdue_sql!()),
        Field::new("owner_id", Kind::Uuid),
        Field::new("tags", Kind::Tags),
        Field::new("created_by", Kind::Uuid),
        Field::new("created_at", Kind::Timestamp).sortable(),
        Field::new("updated_at", Kind::Timestamp).sortable(),
        Field::new("deleted_at", Kind::Timestamp).nullable(),
    ],
    default_sort: "-occurred_at",
    owner_column: Some("owner_id"),
    soft_delete: true,
    search: Some(("search_text", "search_grams")),
};

fn product_code_key(q: &str) -> String {
    q.trim().to_lowercase()
}

pub static PRODUCTS: Spec = Spec {
    table: "products",
    select:
        "id, code, name, spec, model, unit, unit_price, currency, remarks, active, category_id, \
             custom, version, created_at, updated_at, created_by, updated_by, deleted_at",
    fields: &[
        Field::new("id", Kind::Uuid),
        Field::new("code", Kind::Text).sortable(),
        Field::new("name", Kind::Text).sortable(),
        Field::new("spec", Kind::Text).nullable(),
        Field::new("model", Kind::Text).nullable(),
        Field::new("unit", Kind::Text).nullable(),
        Field::new("unit_price", Kind::Numeric)
            .nullable()
            .sortable()
            .json_path("unit_price.amount")
            .currency("currency"),
        Field::new("currency", Kind::Text).nullable(),
        Field::new("active", Kind::Bool),
        Field::new("category_id", Kind::Uuid).nullable(),
        Field::new("created_by", Kind::Uuid),
        Field::new("created_at", Kind::Timestamp).sortable(),
        Field::new("updated_at", Kind::Timestamp).sortable(),
        Field::new("deleted_at", Kind::Timestamp).nullable(),
    ],
    default_sort: "code",
    owner_column: None,
    soft_delete: true,
    search: Some(("search_text", "search_grams")),
};

fn field_meta(name: &str, kind: Kind, nullable: bool, sortable: bool) -> FieldMeta {
    FieldMeta {
        name: name.into(),
        type_: kind.as_str().into(),
        nullable,
        sortable,
        operators: Op::ALL
            .into_iter()
            .filter(|op| op.allowed(kind))
            .map(|op| op.as_str().to_string())
            .collect(),
        values: match kind {
            Kind::Enum(values) => values.iter().map(|v| v.to_string()).collect(),
            Kind::Entity(feature) => registry::joining(feature)
                .map(|e| e.name.to_string())
                .collect(),
            _ => Vec::new(),
        },
    }
}

/// The metadata API's description of the entity and its list, with the organization's custom
/// fields (`custom`: their definitions; the filterable ones are list fields `custom.<key>`).
pub fn describe(store: &Store, custom: Vec<CustomField>) -> EntityMeta {
    let fields = store
        .spec
        .fields
        .iter()
        .map(|f| field_meta(f.name, f.kind, f.nullable, f.sortable))
        .chain(
            crate::custom_columns::columns(&custom)
                .iter()
                .filter(|c| c.filterable)
                .map(|c| field_meta(&c.name, c.kind, c.nullable, c.sortable)),
        )
        .collect();
    EntityMeta::of(
        store.entity,
        store.spec.search.is_some(),
        store.spec.default_sort,
        fields,
        custom,
    )
}

/// The store of `entity`.
pub fn of(entity: &Entity) -> Option<&'static Store> {
    STORES.iter().find(|s| std::ptr::eq(s.entity, entity))
}

/// The stores of the entities that take part in `feature`, in the registry's order.
pub fn joining(feature: fn(&registry::Joins) -> bool) -> impl Iterator<Item = &'static Store> {
    registry::joining(feature).filter_map(of)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entity_is_stored_once_as_its_description_says() {
        for e in registry::ENTITIES {
            let stores: Vec<&Store> = STORES
                .iter()
                .filter(|s| std::ptr::eq(s.entity, *e))
                .collect();
            assert_eq!(stores.len(), 1, "{}", e.name);
            let s = stores[0];
            assert_eq!(
                s.spec.table, e.plural,
                "{}: the table is the collection",
                e.name
            );
            assert_eq!(s.search.is_some(), e.joins.search, "{}", e.name);
            assert!(
                s.spec.search.is_some() || !e.joins.search,
                "{}: searchable columns",
                e.name
            );
            assert_eq!(s.duplicate_sql.len(), e.duplicate_keys.len(), "{}", e.name);
            assert_eq!(s.spec.owner_column.is_some(), e.owned, "{}", e.name);
            assert_eq!(s.account_column.is_some(), e.joins.activities, "{}", e.name);
        }
        assert_eq!(STORES.len(), registry::ENTITIES.len());
    }
}
