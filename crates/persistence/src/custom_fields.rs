//! Custom field definitions: an organization's admins add, change and deactivate them per entity;
//! every member reads them (forms and lists are built from them). A filterable field is served by
//! an index of its own, partial on its organization, which [`build_indexes`] creates concurrently
//! after the definition commits: adding a field never locks or rewrites the entity's table.

use crate::custom_values::{self, column_sql};
use crate::schema::custom_fields;
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::{audit, stores, StoreError};
use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use diesel::sql_types;
use diesel::{
    ExpressionMethods, Insertable, QueryDsl, Queryable, QueryableByName, Selectable,
    SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use domain::custom::{CustomField, CustomFieldInput, CustomFieldPatch, FieldType};
use domain::metadata::Names;
use domain::money::Decimal;
use domain::picklist::PicklistValue;
use domain::problem::FieldError;
use domain::registry;
use uuid::Uuid;

/// The most custom fields one entity of an organization may have (active or not).
pub const MAX_FIELDS: i64 = 200;

#[derive(Queryable, Selectable)]
#[diesel(table_name = custom_fields)]
struct FieldRow {
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
    fn into_field(self, index: &str) -> Result<CustomField, StoreError> {
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

/// The stored form of a checked definition.
#[derive(Insertable, diesel::AsChangeset)]
#[diesel(table_name = custom_fields, treat_none_as_null = true)]
struct FieldValues {
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
    section: Option<String>,
    position: i32,
    filterable: bool,
    searchable: bool,
    active: bool,
    formula: Option<String>,
    rollup: Option<serde_json::Value>,
}

impl FieldValues {
    fn new(i: &CustomFieldInput, position: i32) -> Self {
        FieldValues {
            label_zh: i.label.zh.clone(),
            label_en: i.label.en.clone(),
            help_zh: i.help.as_ref().map(|h| h.zh.clone()),
            help_en: i.help.as_ref().map(|h| h.en.clone()),
            required: i.required,
            unique_values: i.unique,
            default_value: i.default.clone(),
            min_value: i.min.as_ref().map(|d| d.0.clone()),
            max_value: i.max.as_ref().map(|d| d.0.clone()),
            min_length: i.min_length,
            max_length: i.max_length,
            options: serde_json::to_value(&i.options).unwrap_or_default(),
            section: i.section.clone(),
            position,
            filterable: i.filterable,
            searchable: i.searchable,
            active: i.active,
            formula: i.formula.clone(),
            rollup: i
                .rollup
                .as_ref()
                .map(|r| serde_json::to_value(r).unwrap_or_default()),
        }
    }
}

/// The name of a field's index: its id, so two organizations' fields of one key never share one.
pub fn index_name(id: Uuid) -> String {
    format!("cf_{}", id.simple())
}

/// The indexes a filterable field needs, by name, with their definitions: its values in
/// ascending order and, for a sortable field, in descending order with empty values last (a
/// b-tree read backwards puts them first; see migration 10).
fn wanted_indexes(
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
async fn valid_indexes(
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

async fn with_states(
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

async fn load(
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

/// Every error of a definition: an entity that takes custom fields, the field's own rules (a
/// lookup may point to any stored collection), and what a computed field refers to: a formula's
/// number fields of the entity, a roll-up's related collection, field and filter.
async fn check_input(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    input: &mut CustomFieldInput,
    before: Option<&CustomField>,
) -> Result<(), StoreError> {
    let mut errors = Vec::new();
    let entity = registry::collection(&input.entity).filter(|e| e.joins.custom_fields);
    if entity.is_none() {
        let known: Vec<&str> = registry::joining(|j| j.custom_fields)
            .map(|e| e.plural)
            .collect();
        errors.push(FieldError::new(
            "entity",
            "entity",
            format!("one of {}", known.join(", ")),
        ));
    }
    let targets: Vec<&str> = stores::STORES.iter().map(|s| s.entity.plural).collect();
    if let Err(e) = input.normalize(&targets, before) {
        errors.extend(e);
    }
    if let (Some(text), Some(e)) = (&input.formula, entity) {
        let others = of_entity(conn, org_id, e.plural).await?;
        let names = crate::custom_values::operands(e, &others);
        if let Err(m) = domain::custom::formula::parse(text, &names) {
            errors.push(FieldError::new("formula", "formula", m));
        }
    }
    if let (Some(r), Some(e)) = (&input.rollup, entity) {
        errors.extend(crate::rollups::check(conn, org_id, e, r).await?);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Invalid(errors))
    }
}

/// Adds a field (admins; the caller checks the role). Run inside a transaction.
pub async fn create(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    mut input: CustomFieldInput,
) -> Result<CustomField, StoreError> {
    check_input(conn, scope.org_id, &mut input, None).await?;
    crate::locks::defining(conn, scope.org_id).await?;
    let existing: Vec<(String, i32)> = custom_fields::table
        .filter(custom_fields::org_id.eq(scope.org_id))
        .filter(custom_fields::entity.eq(&input.entity))
        .select((custom_fields::key, custom_fields::position))
        .load(conn)
        .await?;
    if existing.iter().any(|(k, _)| *k == input.key) {
        return Err(StoreError::taken(
            "key",
            format!(
                "{} already have a custom field `{}`",
                input.entity, input.key
            ),
        ));
    }
    if existing.len() as i64 >= MAX_FIELDS {
        return Err(StoreError::Conflict(format!(
            "{} already have {MAX_FIELDS} custom fields, the most an entity may have; deactivated ones count",
            input.entity
        )));
    }
    let position = input
        .position
        .unwrap_or_else(|| existing.iter().map(|(_, p)| p + 1).max().unwrap_or(0));
    let now = Utc::now();
    let id = Uuid::now_v7();
    let row: FieldRow = diesel::insert_into(custom_fields::table)
        .values((
            custom_fields::id.eq(id),
            custom_fields::org_id.eq(scope.org_id),
            custom_fields::entity.eq(&input.entity),
            custom_fields::key.eq(&input.key),
            custom_fields::field_type.eq(input.type_.as_str()),
            custom_fields::target.eq(&input.target),
            FieldValues::new(&input, position),
            custom_fields::created_at.eq(now),
            custom_fields::updated_at.eq(now),
            custom_fields::created_by.eq(scope.user_id),
            custom_fields::updated_by.eq(scope.user_id),
        ))
        .returning(FieldRow::as_returning())
        .get_result(conn)
        .await?;
    let field = row.into_field(if input.filterable { "building" } else { "none" })?;
    computed_changed(conn, scope, &field).await?;
    let after = serde_json::to_value(&field).unwrap_or_default();
    let changes = domain::audit::diff(&serde_json::json!({}), &after, AUDIT_IGNORED);
    audit::record(conn, scope, "custom_field", id, "create", now, &changes).await?;
    Ok(field)
}

/// Recomputes a computed field on every record after its definition changed: a formula from each
/// record's fields, a roll-up from each account's related records.
async fn computed_changed(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    f: &CustomField,
) -> Result<(), StoreError> {
    match f.type_ {
        FieldType::Formula => custom_values::recompute_formula(conn, scope, f).await,
        FieldType::Rollup => crate::rollups::refresh_all(conn, scope, f).await,
        _ => Ok(()),
    }
}

const AUDIT_IGNORED: &[&str] = &["id", "version", "created_at", "updated_at", "index"];

/// Changes a field at `expected` version (`None`: `If-Match: *`). Making it unique first checks
/// the stored values: a 409 names one that two records share. Run inside a transaction.
pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
    patch: CustomFieldPatch,
) -> Result<CustomField, StoreError> {
    let before = load(conn, scope.org_id, id, true)
        .await?
        .into_field("unknown")?;
    StoreError::check_version(before.version, expected)?;
    crate::locks::defining(conn, scope.org_id).await?;
    let mut input = CustomFieldInput::from_field(&before);
    input.apply(patch);
    check_input(conn, scope.org_id, &mut input, Some(&before)).await?;
    if input.unique && !before.unique {
        custom_values::refuse_shared_values(conn, scope, &before).await?;
    }
    let now = Utc::now();
    let row: FieldRow = diesel::update(
        custom_fields::table
            .filter(custom_fields::org_id.eq(scope.org_id))
            .filter(custom_fields::id.eq(id)),
    )
    .set((
        FieldValues::new(&input, input.position.unwrap_or(before.position)),
        custom_fields::version.eq(custom_fields::version + 1),
        custom_fields::updated_at.eq(now),
        custom_fields::updated_by.eq(scope.user_id),
    ))
    .returning(FieldRow::as_returning())
    .get_result(conn)
    .await?;
    let after = with_states(conn, scope.org_id, vec![row]).await?.remove(0);
    if after.active
        && (after.formula != before.formula || after.rollup != before.rollup || !before.active)
    {
        computed_changed(conn, scope, &after).await?;
    }
    if after.searchable != before.searchable {
        // Existing records' search text gains (or loses) the field's values in the background.
        let mut sql = Sql::new("INSERT INTO search_reindex (table_name) VALUES (");
        sql.bind(Bind::Text(after.entity.clone()))
            .push(") ON CONFLICT (table_name) DO UPDATE SET after_id = NULL");
        sql.execute(conn).await?;
    }
    let changes = domain::audit::diff(
        &serde_json::to_value(&before).unwrap_or_default(),
        &serde_json::to_value(&after).unwrap_or_default(),
        AUDIT_IGNORED,
    );
    if !changes.is_empty() {
        audit::record(conn, scope, "custom_field", id, "update", now, &changes).await?;
    }
    Ok(after)
}

/// Brings the indexes of every organization's custom fields in line with their definitions:
/// creates the missing ones of filterable fields (concurrently: writes go on meanwhile), rebuilds
/// any left invalid by an interrupted build, and drops those of fields no longer filterable.
/// Runs on a connection without a statement timeout; returns how many indexes it built.
pub async fn build_indexes(conn: &mut AsyncPgConnection) -> Result<usize, StoreError> {
    #[derive(QueryableByName)]
    struct Filterable {
        #[diesel(sql_type = sql_types::Uuid)]
        id: Uuid,
        #[diesel(sql_type = sql_types::Uuid)]
        org_id: Uuid,
        #[diesel(sql_type = sql_types::Text)]
        entity: String,
        #[diesel(sql_type = sql_types::Text)]
        key: String,
        #[diesel(sql_type = sql_types::Text)]
        field_type: String,
    }
    let fields: Vec<Filterable> = Sql::new(
        "SELECT id, org_id, entity, key, field_type FROM custom_fields WHERE filterable ORDER BY id",
    )
    .load(conn)
    .await?;
    let wanted: Vec<(String, String)> = fields
        .iter()
        .filter_map(|f| Some((f, FieldType::parse(&f.field_type)?)))
        .flat_map(|(f, t)| wanted_indexes(f.id, f.org_id, &f.entity, &f.key, t))
        .collect();
    let existing = valid_indexes(conn, None).await?;
    for (name, valid) in &existing {
        // Not wanted any more, or left invalid by a build that did not finish.
        if !valid || !wanted.iter().any(|(w, _)| w == name) {
            conn.batch_execute(&format!("DROP INDEX CONCURRENTLY IF EXISTS {name}"))
                .await?;
        }
    }
    let mut built = 0;
    for (name, create) in &wanted {
        if !existing.iter().any(|(n, valid)| n == name && *valid) {
            conn.batch_execute(create).await?;
            built += 1;
        }
    }
    Ok(built)
}
