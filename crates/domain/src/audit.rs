//! The audit trail of a record.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One changed field: its value before and after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldChange {
    pub field: String,
    pub old: serde_json::Value,
    pub new: serde_json::Value,
}

/// One event in a record's history.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    pub id: Uuid,
    /// `create`, `update`, `delete` or `restore`.
    pub action: String,
    pub actor_id: Option<Uuid>,
    pub at: DateTime<Utc>,
    pub changes: Vec<FieldChange>,
}

/// The field-level difference between two JSON objects (keys of either side, in `after`'s order).
pub fn diff(
    before: &serde_json::Value,
    after: &serde_json::Value,
    ignore: &[&str],
) -> Vec<FieldChange> {
    let null = serde_json::Value::Null;
    let empty = serde_json::Map::new();
    let b = before.as_object().unwrap_or(&empty);
    let a = after.as_object().unwrap_or(&empty);
    let mut keys: Vec<&String> = a.keys().collect();
    keys.extend(b.keys().filter(|k| !a.contains_key(*k)));
    keys.into_iter()
        .filter(|k| !ignore.contains(&k.as_str()))
        .filter_map(|k| {
            let old = b.get(k).unwrap_or(&null);
            let new = a.get(k).unwrap_or(&null);
            (old != new).then(|| FieldChange {
                field: k.clone(),
                old: old.clone(),
                new: new.clone(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_lists_changed_added_and_removed_fields_only() {
        let before = json!({"name": "A", "phone": "1", "gone": 1, "version": 1});
        let after = json!({"name": "B", "phone": "1", "new": true, "version": 2});
        let d = diff(&before, &after, &["version"]);
        let fields: Vec<_> = d.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["name", "new", "gone"]);
        assert_eq!(d[0].old, json!("A"));
        assert_eq!(d[2].new, json!(null));
    }
}
