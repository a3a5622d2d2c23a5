//! Picklists: an organization's stored copy of a list, or the built-in values until it edits one.

use crate::schema::picklists;
use crate::scope::Scope;
use crate::StoreError;
use chrono::Utc;
use diesel::upsert::excluded;
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::audit::FieldChange;
use domain::picklist::{self, Picklist, PicklistInput, PicklistValue};
use uuid::Uuid;

fn decode(name: String, values: serde_json::Value, version: i32) -> Result<Picklist, StoreError> {
    let values: Vec<PicklistValue> = serde_json::from_value(values)
        .map_err(|e| StoreError::Pool(format!("stored picklist `{name}` is unreadable: {e}")))?;
    Ok(Picklist {
        name,
        values,
        version,
    })
}

/// Every picklist of the organization, in the built-in order.
pub async fn list(conn: &mut AsyncPgConnection, org_id: Uuid) -> Result<Vec<Picklist>, StoreError> {
    let stored: Vec<(String, serde_json::Value, i32)> = picklists::table
        .filter(picklists::org_id.eq(org_id))
        .select((picklists::name, picklists::values, picklists::version))
        .load(conn)
        .await?;
    let mut out = Vec::new();
    for (name, _) in picklist::DEFAULTS {
        match stored.iter().find(|(n, _, _)| n == name) {
            Some((n, values, version)) => out.push(decode(n.clone(), values.clone(), *version)?),
            None => out.push(Picklist {
                name: name.to_string(),
                values: picklist::defaults(name).unwrap_or_default(),
                version: 0,
            }),
        }
    }
    Ok(out)
}

/// One picklist; `NotFound` for a name that is not a picklist.
pub async fn get(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    name: &str,
) -> Result<Picklist, StoreError> {
    let defaults = picklist::defaults(name).ok_or(StoreError::NotFound)?;
    let stored: Option<(serde_json::Value, i32)> = picklists::table
        .filter(picklists::org_id.eq(org_id))
        .filter(picklists::name.eq(name))
        .select((picklists::values, picklists::version))
        .first(conn)
        .await
        .optional()?;
    match stored {
        Some((values, version)) => decode(name.to_string(), values, version),
        None => Ok(Picklist {
            name: name.to_string(),
            values: defaults,
            version: 0,
        }),
    }
}

/// Replaces the organization's list at `expected` version (`None`: `If-Match: *`). Admins only;
/// run inside a transaction.
pub async fn put(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    name: &str,
    expected: Option<i32>,
    mut input: PicklistInput,
) -> Result<Picklist, StoreError> {
    let before = get(conn, scope.org_id, name).await?;
    StoreError::check_version(before.version, expected)?;
    input
        .normalize(&before.values)
        .map_err(StoreError::Invalid)?;
    let values = serde_json::to_value(&input.values)
        .map_err(|e| StoreError::Pool(format!("picklist encoding: {e}")))?;
    let now = Utc::now();
    // Compare-and-set: the write applies only to the version checked above, so of concurrent
    // writers at one version exactly one wins (a first write races on the insert, the others
    // then find version 1 and write nothing).
    let upsert = diesel::insert_into(picklists::table)
        .values((
            picklists::org_id.eq(scope.org_id),
            picklists::name.eq(name),
            picklists::values.eq(&values),
            picklists::version.eq(1),
            picklists::updated_at.eq(now),
            picklists::updated_by.eq(scope.user_id),
        ))
        .on_conflict((picklists::org_id, picklists::name))
        .do_update()
        .set((
            picklists::values.eq(excluded(picklists::values)),
            picklists::version.eq(picklists::version + 1),
            picklists::updated_at.eq(now),
            picklists::updated_by.eq(scope.user_id),
        ));
    let written: Option<i32> = diesel::query_dsl::methods::FilterDsl::filter(
        upsert,
        picklists::version.eq(before.version),
    )
    .returning(picklists::version)
    .get_result(conn)
    .await
    .optional()?;
    let Some(version) = written else {
        let current = get(conn, scope.org_id, name).await?.version;
        return Err(StoreError::StaleVersion {
            expected: before.version,
            current,
        });
    };
    // The organization's settings are audited under the organization: one field per list.
    let change = FieldChange {
        field: name.to_string(),
        old: serde_json::to_value(&before.values).unwrap_or_default(),
        new: values,
    };
    crate::audit::record(
        conn,
        scope,
        "organization",
        scope.org_id,
        "update",
        now,
        &[change],
    )
    .await?;
    Ok(Picklist {
        name: name.to_string(),
        values: input.values,
        version,
    })
}
