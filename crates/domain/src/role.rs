//! Roles and what they may do.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A user's role (角色).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Manager,
    Sales,
    Service,
    Marketing,
    Finance,
    Readonly,
}

/// Which records a role sees: its own, its department subtree's, or the whole organization's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    Own,
    DepartmentSubtree,
    Organization,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::Manager,
        Role::Sales,
        Role::Service,
        Role::Marketing,
        Role::Finance,
        Role::Readonly,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Sales => "sales",
            Role::Service => "service",
            Role::Marketing => "marketing",
            Role::Finance => "finance",
            Role::Readonly => "readonly",
        }
    }

    /// A manager sees their department subtree; `readonly` (auditors, executives) too, without writing.
    pub fn reach(self) -> Reach {
        match self {
            Role::Admin => Reach::Organization,
            Role::Manager | Role::Readonly => Reach::DepartmentSubtree,
            Role::Sales | Role::Service | Role::Marketing | Role::Finance => Reach::Own,
        }
    }

    pub fn can_write(self) -> bool {
        self != Role::Readonly
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role `{s}`"))
    }
}
