//! Custom values on the write path and in lists: checked with the record's other fields (users
//! and lookups against the database), unique values claimed under a lock, searchable text for
//! the record's search columns, and each filterable field as a list column over `custom`.

use crate::custom_columns::{column_sql, formula_sql, is_column, with_search_text};
use crate::custom_fields;
use crate::list::{self, Kind};
use crate::locks::{self, Guard};
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::{stores, unique, users, StoreError};
use diesel::sql_types;
use diesel::QueryableByName;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::custom::{self, CustomField, CustomValues, FieldType};
use domain::problem::FieldError;
use serde_json::Value;
use uuid::Uuid;

/// The values of a write's formula fields, computed by the same SQL as [`recompute_formula`]
/// over a row made of the input (`record`: its JSON) and its custom `values`.
async fn compute_formulas(
    conn: &mut AsyncPgConnection,
    entity: &str,
    fields: &[CustomField],
    record: &Value,
    values: &mut CustomValues,
) -> Result<(), StoreError> {
    let Some(store) = domain::registry::collection(entity).and_then(stores::of) else {
        return Ok(());
    };
    for f in fields
        .iter()
        .filter(|f| f.type_ == FieldType::Formula && f.active)
    {
        let Some(expr) = formula_sql(store.spec, fields, f) else {
            continue;
        };
        // A one-row table with the input's numbers under their column names, and `custom`.
        let mut sql = Sql::new(&format!("SELECT {expr} AS v FROM (SELECT "));
        for field in store
            .spec
            .fields
            .iter()
            .filter(|x| matches!(x.kind, Kind::Int | Kind::Numeric) && is_column(x.column))
        {
            let at = field
                .json_path
                .split('.')
                .fold(record, |v, k| v.get(k).unwrap_or(&Value::Null));
            let n = match at {
                Value::String(s) => s.parse::<domain::money::Decimal>().ok(),
                Value::Number(n) => n.to_string().parse().ok(),
                _ => None,
            };
            match n {
                Some(n) => sql.bind(Bind::Numeric(n.0)),
                None => sql.push("NULL"),
            };
            sql.push(&format!("::numeric AS {}, ", field.column));
        }
        sql.bind(Bind::Text(Value::Object(values.clone()).to_string()))
            .push("::jsonb AS custom) AS r");
        #[derive(QueryableByName)]
        struct Computed {
            #[diesel(sql_type = sql_types::Nullable<sql_types::Text>)]
            v: Option<String>,
        }
        let row: Computed = sql.get_result(conn).await?;
        match row.v {
            Some(v) => values.insert(f.key.clone(), Value::String(v)),
            None => values.remove(&f.key),
        };
    }
    Ok(())
}

/// Recomputes a formula field on every record of the organization (after its definition
/// changed), in one statement: derived values, so no version or audit entry. The entity's writes
/// are held off meanwhile: one that read the old definition would otherwise store its value
/// computed by the old formula after the recompute passed its record.
pub async fn recompute_formula(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    f: &CustomField,
) -> Result<(), StoreError> {
    let Some(store) = domain::registry::collection(&f.entity).and_then(stores::of) else {
        return Ok(());
    };
    locks::defining(conn, scope.org_id).await?;
    let fields = custom_fields::of_entity(conn, scope.org_id, &f.entity).await?;
    let Some(expr) = formula_sql(store.spec, &fields, f) else {
        return Ok(());
    };
    let key = &f.key;
    let mut sql = Sql::new(&format!(
        "UPDATE {} SET custom = CASE WHEN {expr} IS NULL THEN custom - '{key}' \
         ELSE jsonb_set(custom, '{{{key}}}', to_jsonb({expr})) END WHERE org_id = ",
        store.spec.table
    ));
    sql.bind(Bind::Uuid(scope.org_id));
    sql.execute(conn).await?;
    Ok(())
}

/// Checks a record's custom values after a write's changes (`before`: as stored; `None` for a
/// create) into `errors`, with the record's other field errors: types, rules, defaults, required
/// and inactive fields, then users and lookups that must exist and be visible to the caller.
pub async fn check(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    entity: &str,
    before: Option<&CustomValues>,
    values: &mut CustomValues,
    errors: &mut Vec<FieldError>,
) -> Result<(), StoreError> {
    let fields = custom_fields::of_entity(conn, scope.org_id, entity).await?;
    if fields.is_empty() && values.is_empty() {
        return Ok(());
    }
    let found = custom::check_values(&fields, before, values);
    let refused: Vec<String> = found.iter().map(|e| e.field.clone()).collect();
    errors.extend(found);
    for f in &fields {
        let Some(Value::String(raw)) = values.get(&f.key) else {
            continue;
        };
        if refused.contains(&f.path()) || before.and_then(|b| b.get(&f.key)) == values.get(&f.key) {
            continue;
        }
        let Ok(id) = Uuid::parse_str(raw) else {
            continue;
        };
        let known = match (f.type_, f.target.as_deref()) {
            (FieldType::User, _) => {
                id == scope.user_id
                    || (scope.sees_owner(id)
                        && users::is_active_member(conn, scope.org_id, id).await?)
            }
            (FieldType::Lookup, Some(target)) => visible(conn, scope, target, id).await?,
            _ => continue,
        };
        if !known {
            let what = match f.type_ {
                FieldType::User => "not an active user you can see".to_string(),
                _ => format!(
                    "no such record in {} visible to you",
                    f.target.as_deref().unwrap_or("")
                ),
            };
            errors.push(FieldError::new(f.path(), "reference", what));
        }
    }
    Ok(())
}

/// Whether the caller sees the live record `id` of the collection `plural`.
async fn visible(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    plural: &str,
    id: Uuid,
) -> Result<bool, StoreError> {
    let Some(store) = domain::registry::collection(plural).and_then(stores::of) else {
        return Ok(false);
    };
    let mut sql = Sql::new(&format!("SELECT count(*) AS n FROM {}", store.spec.table));
    sql.append(list::scoped_where(store.spec, scope, false))
        .push(" AND id = ")
        .bind(Bind::Uuid(id));
    Ok(sql.count(conn).await? > 0)
}

/// What a write of checked values needs next, inside its transaction: its formula fields
/// computed into `values` (from `record`, the input's JSON), unique values claimed (locked, then
/// checked against every other live record of the organization, whoever owns it: a 409 names the
/// one that has it) and the text of the searchable fields, for the record's search columns. `id`
/// is the record's; `before` as in [`check`].
pub async fn written<I: serde::Serialize>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    entity: &str,
    id: Uuid,
    before: Option<&CustomValues>,
    input: &I,
) -> Result<Written, StoreError> {
    let record = serde_json::to_value(input).unwrap_or_default();
    let mut values = match record.get("custom") {
        Some(Value::Object(m)) => m.clone(),
        _ => CustomValues::new(),
    };
    // An update's record was loaded with its row lock, which took it (`records::load`); a create
    // takes it here: a definition turning `unique` on sees every value written before it, and
    // every later write sees it unique.
    if before.is_none() {
        locks::writing(conn, scope.org_id).await?;
    }
    let fields = custom_fields::of_entity(conn, scope.org_id, entity).await?;
    if fields.is_empty() {
        return Ok(Written {
            custom: values,
            search: String::new(),
        });
    }
    if crate::rollups::is_target(entity) {
        match before {
            None => values.extend(crate::rollups::initial(&fields)),
            Some(_) => {
                crate::rollups::current(conn, scope.org_id, id, &fields, &mut values).await?
            }
        }
    }
    compute_formulas(conn, entity, &fields, &record, &mut values).await?;
    let values = &values;
    let unique: Vec<(&CustomField, &str)> = fields
        .iter()
        .filter(|f| f.unique)
        .filter(|f| before.and_then(|b| b.get(&f.key)) != values.get(&f.key))
        .filter_map(|f| Some((f, values.get(&f.key)?.as_str()?)))
        .collect();
    let keys: Vec<String> = unique
        .iter()
        .map(|(f, v)| format!("{}.{}={v}", f.key, entity))
        .collect();
    locks::values(
        conn,
        scope.org_id,
        keys.iter().map(|k| (Guard::CustomValue, k.as_str())),
    )
    .await?;
    for (f, v) in unique {
        let Some((expr, kind)) = column_sql(&f.key, f.type_) else {
            continue;
        };
        let bound = match kind {
            Kind::Numeric => match v.parse::<domain::money::Decimal>() {
                Ok(n) => Bind::Numeric(n.0),
                Err(_) => continue,
            },
            _ => Bind::Text(v.to_string()),
        };
        let store = domain::registry::collection(entity).and_then(stores::of);
        let Some(store) = store else { continue };
        if let Some(h) = unique::holder(conn, scope.org_id, store, &expr, bound, Some(id)).await? {
            let message = format!(
                "`{}` is unique: `{v}` is already the value of {} {} ({})",
                f.path(),
                store.entity.name,
                h.name,
                h.id
            );
            return Err(StoreError::taken_by(f.path(), message, h));
        }
    }
    Ok(Written {
        search: custom::search_text(&fields, values).join(" "),
        custom: values.clone(),
    })
}

/// A write's custom values as stored (formulas computed) and their searchable text.
pub struct Written {
    pub custom: CustomValues,
    pub search: String,
}

impl Written {
    /// The record's search text with the searchable custom values.
    pub fn search_text(&self, base: String) -> String {
        with_search_text(base, &self.search)
    }

    /// The `custom` column's value.
    pub fn column(&self) -> Value {
        Value::Object(self.custom.clone())
    }
}

/// Before a field becomes unique: a 409 naming a value that two live records share.
pub async fn refuse_shared_values(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    f: &CustomField,
) -> Result<(), StoreError> {
    #[derive(QueryableByName)]
    struct Shared {
        #[diesel(sql_type = sql_types::Text)]
        value: String,
        #[diesel(sql_type = sql_types::BigInt)]
        n: i64,
    }
    locks::defining(conn, scope.org_id).await?;
    let Some((expr, _)) = column_sql(&f.key, f.type_) else {
        return Ok(());
    };
    let mut sql = Sql::new(&format!(
        "SELECT ({expr})::text AS value, count(*) AS n FROM {} WHERE org_id = ",
        f.entity
    ));
    sql.bind(Bind::Uuid(scope.org_id)).push(&format!(
        " AND deleted_at IS NULL AND custom ? '{}' GROUP BY 1 HAVING count(*) > 1 LIMIT 1",
        f.key
    ));
    let shared: Vec<Shared> = sql.load(conn).await?;
    match shared.into_iter().next() {
        Some(s) => Err(StoreError::Conflict(format!(
            "`{}` cannot become unique: `{}` is the value of {} records",
            f.path(),
            s.value,
            s.n
        ))),
        None => Ok(()),
    }
}
