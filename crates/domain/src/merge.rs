//! Duplicates and merge: groups of records that look like one customer, and folding them into one.

use crate::registry::fields::{FieldDef, Input};
use crate::registry::{Entity, ENTITIES};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The fields of other entities that reference records of the entity `name` (`account`): what a
/// merge of those records re-points to the kept one, from the registry's descriptions.
pub fn references_to(
    name: &str,
) -> impl Iterator<Item = (&'static Entity, &'static FieldDef)> + '_ {
    ENTITIES.iter().copied().flat_map(move |e| {
        e.fields
            .iter()
            .filter(move |f| matches!(f.input, Input::Reference(target) if target == name))
            .map(move |f| (e, f))
    })
}

/// `POST /accounts/merge`, `POST /contacts/merge`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The record that stays; its values win, its blanks are filled from the others.
    pub into: Uuid,
    /// The records merged into it (1–10); they go to the recycle bin.
    pub from: Vec<Uuid>,
}

/// What a merge moved to the kept record (or would move, for a dry run).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeMoves {
    pub contacts: i64,
    pub opportunities: i64,
    pub leads: i64,
    /// Activities attached to the merged records, now attached to the kept one.
    pub activities: i64,
    /// Audit events of the merged records, now in the kept record's history.
    pub history: i64,
}

impl MergeMoves {
    /// Counts `n` moved records of the collection `plural`; false if it has no counter.
    pub fn add(&mut self, plural: &str, n: i64) -> bool {
        let counter = match plural {
            "contacts" => &mut self.contacts,
            "opportunities" => &mut self.opportunities,
            "leads" => &mut self.leads,
            "activities" => &mut self.activities,
            _ => return false,
        };
        *counter += n;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_record_a_merge_moves_is_counted() {
        let mut moved = 0;
        for e in crate::registry::joining(|j| j.duplicates) {
            for (other, field) in references_to(e.name) {
                assert!(
                    MergeMoves::default().add(other.plural, 1),
                    "{}.{} references {}: MergeMoves needs a counter",
                    other.plural,
                    field.name,
                    e.name
                );
                moved += 1;
            }
        }
        assert!(moved >= 5, "accounts and contacts are referenced: {moved}");
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MergeResult {
    /// True for a preview: nothing was changed.
    pub dry_run: bool,
    /// The kept record after the merge.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub record: serde_json::Value,
    pub merged: Vec<Uuid>,
    /// The kept record's fields that took a merged record's value.
    pub filled: Vec<String>,
    pub moved: MergeMoves,
}

/// One group of likely duplicates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuplicateGroup {
    /// `name`, `credit_code`, `phone` or `email`.
    #[cfg_attr(feature = "openapi", schema(example = "phone"))]
    pub reason: String,
    /// The shared value (normalized name, credit code, E.164 phone or email).
    #[cfg_attr(feature = "openapi", schema(example = "+8613800138000"))]
    pub key: String,
    pub records: Vec<DuplicateMember>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuplicateMember {
    pub id: Uuid,
    pub name: String,
    /// `null` for an account in a customer pool.
    pub owner_id: Option<Uuid>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}
