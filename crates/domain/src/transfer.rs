//! Transfer (客户移交): moving every record one user owns (e.g. someone leaving) to another.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The kinds of records a transfer moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TransferKind {
    Accounts,
    Contacts,
    Leads,
    Opportunities,
    /// Calls, visits, meetings, emails, notes and tasks (open tasks go to the new owner's list).
    Activities,
}

impl TransferKind {
    pub const ALL: [TransferKind; 5] = [
        TransferKind::Accounts,
        TransferKind::Contacts,
        TransferKind::Leads,
        TransferKind::Opportunities,
        TransferKind::Activities,
    ];

    /// The table, which is also the name of the count in [`TransferCounts`].
    pub fn as_str(self) -> &'static str {
        match self {
            TransferKind::Accounts => "accounts",
            TransferKind::Contacts => "contacts",
            TransferKind::Leads => "leads",
            TransferKind::Opportunities => "opportunities",
            TransferKind::Activities => "activities",
        }
    }

    /// The entity's name in the audit trail (`account`).
    pub fn entity(self) -> &'static str {
        match self {
            TransferKind::Accounts => "account",
            TransferKind::Contacts => "contact",
            TransferKind::Leads => "lead",
            TransferKind::Opportunities => "opportunity",
            TransferKind::Activities => "activity",
        }
    }
}

/// `POST /users/{id}/transfer`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    /// The new owner: an active user of the organization.
    pub to_user_id: Uuid,
    /// What to move (default: every kind).
    pub kinds: Option<Vec<TransferKind>>,
}

/// How many records of each kind move (or moved).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferCounts {
    pub accounts: i64,
    pub contacts: i64,
    pub leads: i64,
    pub opportunities: i64,
    pub activities: i64,
}

impl TransferCounts {
    pub fn set(&mut self, kind: TransferKind, n: i64) {
        match kind {
            TransferKind::Accounts => self.accounts = n,
            TransferKind::Contacts => self.contacts = n,
            TransferKind::Leads => self.leads = n,
            TransferKind::Opportunities => self.opportunities = n,
            TransferKind::Activities => self.activities = n,
        }
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
