//! How each entity of the registry (`domain::registry`) is stored: its list spec (table, columns,
//! filters), its display in global search and the SQL of its duplicate keys. The one place the
//! server binds a description to its queries; search, duplicate groups, transfers and the plan
//! check iterate the registry and find each entity's part here.

use crate::list::{Kind, Op, Spec};
use crate::records::SearchDisplay;
use crate::{accounts, activities, contacts, leads, opportunities, products};
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
    /// Recomputes a batch of its rows' search text (`kehu reindex`, a field made searchable).
    pub reindex: crate::reindex::Batch,
}

pub static STORES: &[Store] = &[
    Store {
        entity: &registry::ACCOUNT,
        spec: &accounts::SPEC,
        search: Some(&accounts::SEARCH),
        duplicate_sql: &["credit_code", "name_key"],
        account_column: Some("id"),
        account_timeline: false,
        reindex: crate::reindex::batch_of::<domain::account::Account>,
    },
    Store {
        entity: &registry::CONTACT,
        spec: &contacts::SPEC,
        search: Some(&contacts::SEARCH),
        duplicate_sql: &["unnest(phones)", "unnest(emails)"],
        account_column: Some("account_id"),
        account_timeline: true,
        reindex: crate::reindex::batch_of::<domain::contact::Contact>,
    },
    Store {
        entity: &registry::LEAD,
        spec: &leads::SPEC,
        search: Some(&leads::SEARCH),
        duplicate_sql: &["phone", "email"],
        account_column: Some("account_id"),
        account_timeline: false,
        reindex: crate::reindex::batch_of::<domain::lead::Lead>,
    },
    Store {
        entity: &registry::OPPORTUNITY,
        spec: &opportunities::SPEC,
        search: Some(&opportunities::SEARCH),
        duplicate_sql: &[],
        account_column: Some("account_id"),
        account_timeline: true,
        reindex: crate::reindex::batch_of::<domain::opportunity::Opportunity>,
    },
    Store {
        entity: &registry::ACTIVITY,
        spec: &activities::SPEC,
        search: None,
        duplicate_sql: &[],
        account_column: None,
        account_timeline: false,
        reindex: crate::reindex::batch_of::<domain::activity::Activity>,
    },
    Store {
        entity: &registry::PRODUCT,
        spec: &products::SPEC,
        search: Some(&products::SEARCH),
        duplicate_sql: &[],
        account_column: None,
        account_timeline: false,
        reindex: crate::reindex::batch_of::<domain::product::Product>,
    },
];

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
