//! Transfer (客户移交): moving every record one user owns (e.g. someone leaving) to another.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

crate::entity_kind!(
    /// A kind of record a transfer moves: an entity of the registry that joins transfers, named by
    /// its collection (`accounts`), which is also its table and its count in [`TransferCounts`].
    TransferKind,
    join = transfer,
    key = plural,
    summary = "What a transfer moves: a collection of records."
);

impl TransferKind {
    /// The entity's name in the audit trail (`account`).
    pub fn entity(self) -> &'static str {
        self.0.name
    }
}

/// `POST /users/{id}/transfer`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    /// The new owner: an active user of the organization.
    pub to_user_id: Uuid,
    /// What to move, by collection (default: every kind).
    pub kinds: Option<Vec<TransferKind>>,
}

/// How many records of each kind move (or moved), by collection; every kind is listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct TransferCounts(pub BTreeMap<String, i64>);

impl Default for TransferCounts {
    fn default() -> Self {
        TransferCounts(
            TransferKind::all()
                .into_iter()
                .map(|k| (k.as_str().to_string(), 0))
                .collect(),
        )
    }
}

impl TransferCounts {
    pub fn set(&mut self, kind: TransferKind, n: i64) {
        self.0.insert(kind.as_str().to_string(), n);
    }

    pub fn get(&self, kind: TransferKind) -> i64 {
        self.0.get(kind.as_str()).copied().unwrap_or(0)
    }

    pub fn total(&self) -> i64 {
        self.0.values().sum()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferResult {
    pub from_user_id: Uuid,
    pub to_user_id: Uuid,
    /// True for a preview: nothing was changed.
    pub dry_run: bool,
    pub counts: TransferCounts,
}
