//! Who is asking: the organization and the owners whose records the caller may see.

use domain::role::Role;
use uuid::Uuid;

/// Passed to every repository function that touches business rows, so no query can forget
/// the tenant or the visibility rule.
#[derive(Debug, Clone)]
pub struct Scope {
    pub org_id: Uuid,
    pub user_id: Uuid,
    pub role: Role,
    /// `None`: the whole organization (admin). Otherwise the owners whose records are visible:
    /// the caller alone, or every user of the caller's department subtree (manager, readonly).
    pub visible_owners: Option<Vec<Uuid>>,
}

impl Scope {
    pub fn sees_owner(&self, owner: Uuid) -> bool {
        self.visible_owners
            .as_ref()
            .is_none_or(|o| o.contains(&owner))
    }
}
