//! Adding and changing custom field definitions (admins; every member reads them through
//! [`crate::custom_fields`]). A filterable field is served by an index of its own, partial on its
//! organization, which [`build_indexes`] creates concurrently after the definition commits:
//! adding a field never locks or rewrites the entity's table.

use crate::custom_fields::{load, of_entity, valid_indexes, wanted_indexes, with_states, FieldRow};
use crate::schema::custom_fields;
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::{audit, custom_columns, custom_values, rollups, stores, StoreError};
use bigdecimal::BigDecimal;
use chrono::Utc;
use diesel::sql_types;
use diesel::{ExpressionMethods, Insertable, QueryDsl, QueryableByName, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use domain::custom::{CustomField, CustomFieldInput, CustomFieldPatch, FieldType};
use domain::problem::FieldError;
use domain::registry;
use uuid::Uuid;

/// The most custom fields one entity of an organization may have (active or not).
pub const MAX_FIELDS: i64 = 200;

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
    if let (Some(text), Some(store)) = (&input.formula, entity.and_then(stores::of)) {
        let others = of_entity(conn, org_id, store.entity.plural).await?;
        let names = custom_columns::operands(store.spec, &others);
        if let Err(m) = domain::custom::formula::parse(text, &names) {
            errors.push(FieldError::new("formula", "formula", m));
        }
    }
    if let (Some(r), Some(e)) = (&input.rollup, entity) {
        errors.extend(rollups::check(conn, org_id, e, r).await?);
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
