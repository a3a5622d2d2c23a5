//! Values that must be unique in an organization (a product's code, a unique custom field's
//! value): which live record holds one. A taken value is a 409 naming the field and the record
//! that has it (`candidates`), so a form can link to it. The value's unique index (built-in
//! fields) or its advisory lock (custom values) settles a race between two writers.

use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::stores::{self, Store};
use crate::StoreError;
use diesel::{sql_types, QueryableByName};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::problem::DuplicateCandidate;
use serde::Serialize;
use uuid::Uuid;

/// The live record of `store` other than `exclude` whose `expr` (SQL over its row) is `value`:
/// its id, its name and its owner, as a 409 lists it.
pub async fn holder(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    store: &Store,
    expr: &str,
    value: Bind,
    exclude: Option<Uuid>,
) -> Result<Option<DuplicateCandidate>, StoreError> {
    #[derive(QueryableByName)]
    struct Holder {
        #[diesel(sql_type = sql_types::Uuid)]
        id: Uuid,
        #[diesel(sql_type = sql_types::Text)]
        title: String,
        #[diesel(sql_type = sql_types::Nullable<sql_types::Uuid>)]
        owner_id: Option<Uuid>,
    }
    let title = if store.entity.field("name").is_some() {
        "name"
    } else {
        "id::text"
    };
    let owner = store.spec.owner_column.unwrap_or("NULL::uuid");
    let mut sql = Sql::new(&format!(
        "SELECT id, {title} AS title, {owner} AS owner_id FROM {} WHERE org_id = ",
        store.spec.table
    ));
    sql.bind(Bind::Uuid(org_id))
        .push(&format!(" AND deleted_at IS NULL AND ({expr}) = "))
        .bind(value)
        .push(" AND id <> ")
        .bind(Bind::Uuid(exclude.unwrap_or_default()))
        .push(" LIMIT 1");
    sql.plan_per_run();
    let found: Vec<Holder> = sql.load(conn).await?;
    Ok(found.into_iter().next().map(|h| DuplicateCandidate {
        entity: store.entity.name.to_string(),
        id: h.id,
        name: h.title,
        owner_id: h.owner_id,
        reasons: Vec::new(),
    }))
}

/// Refuses a value of a field the registry marks unique that another live record of the
/// organization has (case-insensitive): a 409 naming the field and that record. A value
/// `before` already had is not checked again.
pub async fn refuse_taken<R: crate::records::Record>(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    input: &impl Serialize,
    before: Option<&R>,
) -> Result<(), StoreError> {
    let Some(store) = domain::registry::collection(R::spec().table).and_then(stores::of) else {
        return Ok(());
    };
    let text = |v: &serde_json::Value, name: &str| v[name].as_str().map(str::to_lowercase);
    let (new, old) = (json(input)?, before.map(json).transpose()?);
    for f in store.entity.fields.iter().filter(|f| f.unique) {
        let Some(value) = new[f.name].as_str() else {
            continue;
        };
        if old.as_ref().and_then(|o| text(o, f.name)) == Some(value.to_lowercase()) {
            continue;
        }
        let expr = format!("lower({})", f.name);
        let bound = Bind::Text(value.to_lowercase());
        let exclude = before.map(crate::list::HasId::id);
        if let Some(h) = holder(conn, scope.org_id, store, &expr, bound, exclude).await? {
            let message = format!(
                "{} `{value}` is already used by {} ({})",
                f.label.en, h.name, h.id
            );
            return Err(StoreError::taken_by(f.name, message, h));
        }
    }
    Ok(())
}

fn json(value: &impl Serialize) -> Result<serde_json::Value, StoreError> {
    serde_json::to_value(value)
        .map_err(|e| StoreError::Database(diesel::result::Error::SerializationError(Box::new(e))))
}
