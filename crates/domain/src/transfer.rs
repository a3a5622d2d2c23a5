//! Transfer (客户移交): moving every record one user owns (e.g. someone leaving) to another.

use crate::registry::{self, Entity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A kind of record a transfer moves: an entity of the registry that joins transfers, named by
/// its collection (`accounts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferKind(pub &'static Entity);

impl TransferKind {
    /// Every kind, in the registry's order.
    pub fn all() -> Vec<TransferKind> {
        registry::joining(|j| j.transfer)
            .map(TransferKind)
            .collect()
    }

    /// The kind whose collection is `plural`.
    pub fn parse(plural: &str) -> Option<TransferKind> {
        registry::collection(plural)
            .filter(|e| e.joins.transfer)
            .map(TransferKind)
    }

    /// The collection, which is also the table and the name of the count in [`TransferCounts`].
    pub fn as_str(self) -> &'static str {
        self.0.plural
    }

    /// The entity's name in the audit trail (`account`).
    pub fn entity(self) -> &'static str {
        self.0.name
    }
}

impl Serialize for TransferKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for TransferKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        TransferKind::parse(&s).ok_or_else(|| {
            let known: Vec<&str> = TransferKind::all().iter().map(|k| k.as_str()).collect();
            serde::de::Error::custom(format!("`{s}` is not one of {}", known.join(", ")))
        })
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
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<String>>))]
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
