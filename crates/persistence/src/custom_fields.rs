//! Custom field definitions as every member reads them (forms, lists and writes are built from
//! them), with the state of each filterable field's index. Admins change them through
//! [`crate::custom_field_writes`].

use crate::custom_columns::column_sql;
use crate::schema::custom_fields;
use crate::sql::{Bind, Sql};
use crate::StoreError;
use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use diesel::sql_types;
use diesel::{
    ExpressionMethods, QueryDsl, Queryable, QueryableByName, Selectable, SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::custom::{CustomField, FieldType};
use domain::metadata::Names;
use domain::money::Decimal;
use domain::picklist::PicklistValue;
use domain::registry;
use uuid::Uuid;

#[derive(Queryable, Selectable)]
#[diesel(table_name = custom_fields)]
pub(crate) struct FieldRow {
    id: Uuid,
    entity: String,
    key: String,
    field_type: String,
    label_zh: String,
    label_en: String,
    help_zh: Option<String>,
    help_en: Option<String>,
    required: bool,
    unique_values: bool,
    default_value: Option<serde_json::Value>,
    min_value: Option<BigDecimal>,
    max_value: Option<BigDecimal>,
    min_length: Option<i32>,
    max_length: Option<i32>,
    options: serde_json::Value,
    target: Option<String>,
    section: Option<String>,
    position: i32,
    filterable: bool,
    searchable: bool,
    active: bool,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    formula: Option<String>,
    rollup: Option<serde_json::Value>,
}

impl FieldRow {
    pub(crate) fn into_field(self, index: &str) -> Result<CustomField, StoreError> {
        let unreadable = |what: &str| {
            StoreError::Pool(format!(
                "stored custom field {} has an unreadable {what}",
                self.id
            ))
        };
        let type_ = FieldType::parse(&self.field_type).ok_or_else(|| unreadable("type"))?;
        let options: Vec<PicklistValue> =
            serde_json::from_value(self.options.clone()).map_err(|_| unreadable("options"))?;
        let rollup = match self.rollup.clone() {
            Some(r) => Some(serde_json::from_value(r).map_err(|_| unreadable("rollup"))?),
            None => None,
        };
        Ok(CustomField {
            id: self.id,
            entity: self.entity,
            key: self.key,
            type_,
            label: Names {
                zh: self.label_zh,
                en: self.label_en,
            },
            help: match (self.help_zh, self.help_en) {
                (Some(zh), Some(en)) => Some(Names { zh, en }),
                _ => None,
            },
            required: self.required,
            unique: self.unique_values,
            default: self.default_value,
            min: self.min_value.map(Decimal),
            max: self.max_value.map(Decimal),
            min_length: self.min_length,
            max_length: self.max_length,
            options,
            target: self.target,
            formula: self.formula,
            rollup,
            section: self.section,
            position: self.position,
            filterable: self.filterable,
            searchable: self.searchable,
            active: self.active,
            index: if self.filterable { index } else { "none" }.to_string(),
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The name of a field's index: its id, so two organizations' fields of one key never share one.
pub fn index_name(id: Uuid) -> String {
    format!("cf_{}", id.simple())
}

/// The indexes a filterable field needs, by name, with their definitions: its values in
/// ascending order and, for a sortable field, in descending order with empty values last (a
/// b-tree read backwards puts them first; see migration 10).
pub(crate) fn wanted_indexes(
    id: Uuid,
    org_id: Uuid,
    entity: &str,
    key: &str,
    t: FieldType,
) -> Vec<(String, String)> {
    let (Some(e), Some((expr, kind))) = (registry::collection(entity), column_sql(key, t)) else {
        return Vec::new();
    };
    let name = index_name(id);
    // The key and type are checked when the field is defined; the org id is a UUID.
    let on = |name: &str, columns: String| {
        format!(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {} {columns} \
             WHERE org_id = '{org_id}' AND deleted_at IS NULL",
            e.plural
        )
    };
    if matches!(kind, crate::list::Kind::Keys) {
        return vec![(name.clone(), on(&name, format!("USING gin (({expr}))")))];
    }
    let desc = format!("{name}_d");
    vec![
        (name.clone(), on(&name, format!("(({expr}), id)"))),
        (
            desc.clone(),
            on(&desc, format!("(({expr}) DESC NULLS LAST, id DESC)")),
        ),
    ]
}

/// The names of the valid custom field indexes among `names`.
pub(crate) async fn valid_indexes(
    conn: &mut AsyncPgConnection,
    names: Option<Vec<String>>,
) -> Result<Vec<(String, bool)>, StoreError> {
    #[derive(QueryableByName)]
    struct Index {
        #[diesel(sql_type = sql_types::Text)]
        name: String,
        #[diesel(sql_type = sql_types::Bool)]
        valid: bool,
    }
    let mut sql = Sql::new(
        "SELECT c.relname::text AS name, i.indisvalid AND i.indisready AS valid \
         FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid WHERE c.relname LIKE 'cf\\_%'",
    );
    if let Some(names) = names {
        sql.push(" AND c.relname = ANY(")
            .bind(Bind::TextArray(names))
            .push(")");
    }
    let found: Vec<Index> = sql.load(conn).await?;
    Ok(found.into_iter().map(|i| (i.name, i.valid)).collect())
}

pub(crate) async fn with_states(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    rows: Vec<FieldRow>,
) -> Result<Vec<CustomField>, StoreError> {
    let wanted = |r: &FieldRow| {
        FieldType::parse(&r.field_type).map_or_else(Vec::new, |t| {
            wanted_indexes(r.id, org_id, &r.entity, &r.key, t)
        })
    };
    let names: Vec<String> = rows
        .iter()
        .filter(|r| r.filterable)
        .flat_map(|r| wanted(r).into_iter().map(|(name, _)| name))
        .collect();
    let valid = if names.is_empty() {
        Vec::new()
    } else {
        valid_indexes(conn, Some(names)).await?
    };
    rows.into_iter()
        .map(|r| {
            let ready = wanted(&r)
                .iter()
                .all(|(name, _)| valid.iter().any(|(n, ok)| n == name && *ok));
            r.into_field(if ready { "ready" } else { "building" })
        })
        .collect()
}

/// The organization's fields of `entity` (a collection, `accounts`), or of every entity, in form
/// order. Without index states: what a write or a list needs.
pub async fn of_entity(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    entity: &str,
) -> Result<Vec<CustomField>, StoreError> {
    let rows: Vec<FieldRow> = custom_fields::table
        .filter(custom_fields::org_id.eq(org_id))
        .filter(custom_fields::entity.eq(entity))
        .order((custom_fields::position, custom_fields::id))
        .select(FieldRow::as_select())
        .load(conn)
        .await?;
    rows.into_iter().map(|r| r.into_field("unknown")).collect()
}

/// The organization's fields (of one entity, or all), in form order, with their index states.
pub async fn list(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    entity: Option<&str>,
) -> Result<Vec<CustomField>, StoreError> {
    let mut query = custom_fields::table
        .filter(custom_fields::org_id.eq(org_id))
        .order((
            custom_fields::entity,
            custom_fields::position,
            custom_fields::id,
        ))
        .select(FieldRow::as_select())
        .into_boxed();
    if let Some(entity) = entity {
        query = query.filter(custom_fields::entity.eq(entity.to_string()));
    }
    let rows: Vec<FieldRow> = query.load(conn).await?;
    with_states(conn, org_id, rows).await
}

pub(crate) async fn load(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    id: Uuid,
    lock: bool,
) -> Result<FieldRow, StoreError> {
    let query = custom_fields::table
        .filter(custom_fields::org_id.eq(org_id))
        .filter(custom_fields::id.eq(id))
        .select(FieldRow::as_select());
    Ok(if lock {
        query.for_update().first(conn).await?
    } else {
        query.first(conn).await?
    })
}

pub async fn get(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<CustomField, StoreError> {
    let row = load(conn, org_id, id, false).await?;
    Ok(with_states(conn, org_id, vec![row]).await?.remove(0))
}
