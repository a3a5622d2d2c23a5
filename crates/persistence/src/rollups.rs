//! Roll-up fields: an account's count, sum, min or max over its related records (the amount of
//! its won deals, its open deals, its contacts), kept in step in the transaction of every change
//! to those records. The generic write path ([`crate::records`]) calls [`changed`] after each
//! create, update, delete, restore and wholesale move of a related record; a definition that is
//! added or changed recomputes every account of the organization at once ([`refresh_all`]).
//!
//! Values are derived: they change neither the account's version nor its history. They count
//! every related record of the organization, whoever may see it (as Salesforce's roll-up
//! summaries do): an account's total is the account's, not the reader's.

use crate::custom_columns;
use crate::custom_fields;
use crate::list::{self, ListRequest};
use crate::locks;
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::stores::{self, Store};
use crate::StoreError;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::custom::{CustomField, CustomValues, FieldType, Rollup, RollupFunction};
use domain::problem::FieldError;
use domain::registry::Entity;
use uuid::Uuid;

/// The collection roll-up fields belong to.
const TARGET: &str = "accounts";
/// Keys of a list request that are not filters, refused in a roll-up's `filter`.
const NOT_FILTERS: &[&str] = &["sort", "limit", "after", "q", "fields", "totals", "view"];

/// The collections whose records roll up to their account (`account_id`).
fn sources() -> impl Iterator<Item = &'static Store> {
    stores::STORES
        .iter()
        .filter(|s| s.account_column == Some("account_id") && s.entity.joins.custom_fields)
}

fn source(plural: &str) -> Option<&'static Store> {
    sources().find(|s| s.entity.plural == plural)
}

/// Every error of a roll-up definition on `entity`: roll-ups are on accounts, over a related
/// collection, of one of its number fields (but for `count`), filtered in the list language.
pub async fn check(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    entity: &Entity,
    r: &Rollup,
) -> Result<Vec<FieldError>, StoreError> {
    if entity.plural != TARGET {
        return Ok(vec![FieldError::new(
            "rollup",
            "entity",
            "roll-up fields are on accounts: they aggregate an account's related records",
        )]);
    }
    let Some(store) = source(&r.source) else {
        let known: Vec<&str> = sources().map(|s| s.entity.plural).collect();
        return Ok(vec![FieldError::new(
            "rollup.source",
            "source",
            format!("one of {}", known.join(", ")),
        )]);
    };
    let fields = custom_fields::of_entity(conn, org_id, store.entity.plural).await?;
    let mut errors = Vec::new();
    if let Some(name) = &r.field {
        let numbers = custom_columns::operands(store.spec, &fields);
        if !numbers.contains(name) {
            errors.push(FieldError::new(
                "rollup.field",
                "field",
                format!(
                    "a number field of {}: one of {}",
                    store.entity.plural,
                    numbers.join(", ")
                ),
            ));
        }
    }
    if let Some(text) = &r.filter {
        if let Err(m) = filter(store, &fields, text) {
            errors.push(FieldError::new("rollup.filter", "filter", m));
        }
    }
    Ok(errors)
}

/// A roll-up's filter as a list request on its source (`status=won&amount[gte]=1000`).
fn filter(store: &Store, fields: &[CustomField], text: &str) -> Result<ListRequest, String> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(text).map_err(|_| "not a list filter".to_string())?;
    if let Some((k, _)) = pairs
        .iter()
        .find(|(k, _)| NOT_FILTERS.contains(&k.as_str()))
    {
        return Err(format!("`{k}`: only field filters, such as `status=won`"));
    }
    let columns = custom_columns::columns(fields);
    ListRequest::parse_with(store.spec, &columns, &pairs).map_err(|e| e.0)
}

/// The SQL of one roll-up's value on the account row `a` (text, as numbers are stored in
/// `custom`; `NULL` when a min or max has no record to take it from).
fn value_sql(store: &Store, fields: &[CustomField], r: &Rollup) -> Option<Sql> {
    let operand = match &r.field {
        Some(name) => Some(custom_columns::operand_sql(store.spec, name)),
        None if r.function == RollupFunction::Count => None,
        None => return None,
    };
    let aggregate = match (r.function, operand) {
        (RollupFunction::Count, None) => "count(*)::numeric".to_string(),
        (RollupFunction::Count | RollupFunction::Sum, Some(x)) => {
            format!("coalesce({}({x}), 0)", r.function.sql())
        }
        (f, Some(x)) => format!("{}({x})", f.sql()),
        (_, None) => return None,
    };
    let mut sql = Sql::new(&format!(
        "(SELECT trim_scale({aggregate})::text FROM {} WHERE org_id = a.org_id \
         AND account_id = a.id AND deleted_at IS NULL",
        store.spec.table
    ));
    if let Some(text) = &r.filter {
        sql.append(list::filters_sql(&filter(store, fields, text).ok()?));
    }
    sql.push(")");
    Some(sql)
}

/// `jsonb_strip_nulls(jsonb_build_object(…))` of `fields` (roll-ups over `store`) on the
/// account row `a`.
async fn object_sql(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    store: &Store,
    fields: &[&CustomField],
) -> Result<Sql, StoreError> {
    // The source's custom fields matter only to a filter (`custom.k=…` in it).
    let filtered = fields
        .iter()
        .any(|f| f.rollup.as_ref().is_some_and(|r| r.filter.is_some()));
    let source_fields = if filtered {
        custom_fields::of_entity(conn, org_id, store.entity.plural).await?
    } else {
        Vec::new()
    };
    let mut sql = Sql::new("jsonb_strip_nulls(jsonb_build_object(");
    let mut first = true;
    for f in fields {
        let Some(value) = f
            .rollup
            .as_ref()
            .and_then(|r| value_sql(store, &source_fields, r))
        else {
            continue;
        };
        if !first {
            sql.push(", ");
        }
        first = false;
        sql.bind(Bind::Text(f.key.clone()))
            .push("::text, ")
            .append(value);
    }
    sql.push("))");
    Ok(sql)
}

/// `UPDATE accounts` setting `fields` (roll-ups over `store`) on the rows `filter` selects.
async fn update(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    store: &Store,
    fields: &[&CustomField],
    filter: Sql,
) -> Result<(), StoreError> {
    let keys: Vec<String> = fields.iter().map(|f| f.key.clone()).collect();
    let object = object_sql(conn, org_id, store, fields).await?;
    let mut sql = Sql::new("UPDATE accounts AS a SET custom = (a.custom - ");
    sql.bind(Bind::TextArray(keys))
        .push("::text[]) || ")
        .append(object)
        .push(" WHERE ")
        .append(filter);
    sql.execute(conn).await?;
    Ok(())
}

/// Sets the roll-ups among `fields` (the account's custom fields) in `values` to what the
/// account's related records make them now: an account's own write (an edit, a merge that moved
/// records to it first) never carries stale ones. The account is locked by the write.
pub async fn current(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    account: Uuid,
    fields: &[CustomField],
    values: &mut CustomValues,
) -> Result<(), StoreError> {
    for store in sources() {
        let over: Vec<&CustomField> = fields
            .iter()
            .filter(|f| f.active && f.type_ == FieldType::Rollup)
            .filter(|f| {
                f.rollup
                    .as_ref()
                    .is_some_and(|r| r.source == store.entity.plural)
            })
            .collect();
        if over.is_empty() {
            continue;
        }
        let object = object_sql(conn, org_id, store, &over).await?;
        let mut sql = Sql::new("SELECT ");
        sql.append(object)
            .push("::text AS v FROM accounts AS a WHERE a.org_id = ")
            .bind(Bind::Uuid(org_id))
            .push(" AND a.id = ")
            .bind(Bind::Uuid(account));
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            v: String,
        }
        let rows: Vec<Row> = sql.load(conn).await?;
        for f in &over {
            values.remove(&f.key);
        }
        if let Some(serde_json::Value::Object(now)) = rows
            .as_slice()
            .first()
            .and_then(|r| serde_json::from_str(&r.v).ok())
        {
            values.extend(now);
        }
    }
    Ok(())
}

/// The organization's active roll-up fields over `source`.
async fn over(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    source: &Store,
) -> Result<Vec<CustomField>, StoreError> {
    Ok(custom_fields::of_entity(conn, org_id, TARGET)
        .await?
        .into_iter()
        .filter(|f| {
            f.active
                && f.type_ == FieldType::Rollup
                && f.rollup
                    .as_ref()
                    .is_some_and(|r| r.source == source.entity.plural)
        })
        .collect())
}

/// Whether records of `entity` (`opportunity`) roll up to their account.
pub fn is_source(entity: &str) -> bool {
    sources().any(|s| s.entity.name == entity)
}

/// Brings the roll-ups over `entity`'s records up to date on `accounts` after a write of
/// some of those records, in the write's transaction. The accounts are locked in id order first
/// and recomputed in a statement of its own, so it sees every related change committed before
/// the lock: two deals of one account written at once both count. `NO KEY UPDATE`, as the
/// update itself takes: the key-share lock a related insert holds on its account (its foreign
/// key) does not conflict with it, so two such inserts do not deadlock.
pub async fn changed(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    entity: &str,
    accounts: &[Uuid],
) -> Result<(), StoreError> {
    let Some(store) = sources().find(|s| s.entity.name == entity) else {
        return Ok(());
    };
    let mut ids: Vec<Uuid> = accounts.to_vec();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    // The write holds `locks::writing` already (its load, its values or its reassign took it):
    // a new definition either sees this write or this write sees it.
    let fields = over(conn, scope.org_id, store).await?;
    if fields.is_empty() {
        return Ok(());
    }
    let mut lock = Sql::new("SELECT count(*) AS n FROM (SELECT id FROM accounts WHERE org_id = ");
    lock.bind(Bind::Uuid(scope.org_id))
        .push(" AND id = ANY(")
        .bind(Bind::UuidArray(ids.clone()))
        .push(") ORDER BY id FOR NO KEY UPDATE) AS locked");
    lock.count(conn).await?;
    let mut filter = Sql::new("a.org_id = ");
    filter
        .bind(Bind::Uuid(scope.org_id))
        .push(" AND a.id = ANY(")
        .bind(Bind::UuidArray(ids))
        .push(")");
    update(
        conn,
        scope.org_id,
        store,
        &fields.iter().collect::<Vec<_>>(),
        filter,
    )
    .await
}

/// After a wholesale move of `source`'s rows (a merge, a transfer): the accounts of the rows
/// that now hold `to` in `column`, and `from` when the column is the account itself.
pub async fn reassigned(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    entity: &str,
    column: &str,
    from: Uuid,
    to: Uuid,
) -> Result<(), StoreError> {
    let Some(store) = sources().find(|s| s.entity.name == entity) else {
        return Ok(());
    };
    let accounts = if column == "account_id" {
        vec![from, to]
    } else {
        let mut sql = Sql::new(&format!(
            "SELECT DISTINCT account_id AS id FROM {} WHERE org_id = ",
            store.spec.table
        ));
        sql.bind(Bind::Uuid(scope.org_id))
            .push(&format!(" AND {column} = "))
            .bind(Bind::Uuid(to))
            .push(" AND account_id IS NOT NULL");
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Uuid)]
            id: Uuid,
        }
        let rows: Vec<Row> = sql.load(conn).await?;
        rows.into_iter().map(|r| r.id).collect()
    };
    changed(conn, scope, entity, &accounts).await
}

/// Recomputes roll-up field `f` on every account of the organization (it was added, changed or
/// reactivated), the source's writes held off meanwhile.
pub async fn refresh_all(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    f: &CustomField,
) -> Result<(), StoreError> {
    let Some(store) = f.rollup.as_ref().and_then(|r| source(&r.source)) else {
        return Ok(());
    };
    locks::defining(conn, scope.org_id).await?;
    let mut filter = Sql::new("a.org_id = ");
    filter.bind(Bind::Uuid(scope.org_id));
    update(conn, scope.org_id, store, &[f], filter).await
}

/// The roll-up values a new account starts with: zero for counts and sums (it has no related
/// records yet), nothing for min and max.
pub fn initial(fields: &[CustomField]) -> impl Iterator<Item = (String, serde_json::Value)> + '_ {
    fields
        .iter()
        .filter(|f| f.active && f.type_ == FieldType::Rollup)
        .filter(|f| {
            f.rollup
                .as_ref()
                .is_some_and(|r| matches!(r.function, RollupFunction::Count | RollupFunction::Sum))
        })
        .map(|f| (f.key.clone(), serde_json::Value::String("0".into())))
}

/// Whether `entity` (a collection) is the one roll-ups belong to.
pub fn is_target(entity: &str) -> bool {
    entity == TARGET
}
