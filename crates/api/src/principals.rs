//! The authenticated caller (`Auth`: the user, the scope and what an API key allows), and who a
//! bearer credential is, remembered for a few seconds so a request costs one query (its work)
//! instead of two (the caller's user row and department subtree, then the work).
//!
//! Staleness is bounded two ways: on this node, any change to an organization's users,
//! departments or API keys, and any session that ends (sign-out, a reused refresh token), forgets
//! that organization at once (`forget`); on other nodes an entry
//! lives at most `ttl` (`KEHU_AUTH_CACHE_SECS`, default 10 s; 0 turns the cache off), and never
//! past the access token's own expiry. Keys are SHA-256 digests, never the credential itself.

use crate::error::ApiError;
use domain::auth::User;
use persistence::Scope;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// The authenticated caller.
#[derive(Clone)]
pub struct Auth {
    pub user: User,
    pub scope: Scope,
    /// `Some` when the caller used an API key: what the key allows.
    pub key_scopes: Option<Vec<String>>,
}

impl Auth {
    /// Whether the credential may read `module`'s records (an API key needs its scope).
    pub fn may_read(&self, module: &str) -> bool {
        self.key_scopes.as_ref().is_none_or(|scopes| {
            scopes.contains(&format!("{module}:read"))
                || scopes.contains(&format!("{module}:write"))
        })
    }

    /// Checks the API key's scope for `module` and, for writes, that the role may write.
    pub fn require(&self, module: &str, write: bool) -> Result<(), ApiError> {
        if let Some(scopes) = &self.key_scopes {
            let w = format!("{module}:write");
            let ok = scopes.contains(&w) || (!write && scopes.contains(&format!("{module}:read")));
            if !ok {
                let need = if write { w } else { format!("{module}:read") };
                return Err(ApiError::Forbidden(format!(
                    "this API key lacks the `{need}` scope"
                )));
            }
        }
        if write && !self.user.role.can_write() {
            return Err(ApiError::Forbidden(
                "your role can read but not change records".into(),
            ));
        }
        Ok(())
    }

    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.user.role != domain::role::Role::Admin {
            return Err(ApiError::Forbidden("only an admin can do this".into()));
        }
        Ok(())
    }

    pub fn scopes(&self) -> Vec<String> {
        self.key_scopes
            .clone()
            .unwrap_or_else(domain::registry::api_key_scopes)
    }
}

struct Entry {
    principal: Auth,
    until: Instant,
}

/// Above this many live credentials the cache drops expired entries, then starts over.
const CAPACITY: usize = 50_000;

pub struct PrincipalCache {
    ttl: Duration,
    entries: Mutex<HashMap<[u8; 32], Entry>>,
    /// Bumped by every `forget`: a lookup that began before a change must not store what it read.
    generation: AtomicU64,
}

impl PrincipalCache {
    pub fn new(ttl: Duration) -> Self {
        PrincipalCache {
            ttl,
            entries: Mutex::new(HashMap::new()),
            generation: AtomicU64::new(0),
        }
    }

    /// The generation to hand back to `put` after loading a principal from the database.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub fn get(&self, key: &[u8; 32]) -> Option<Auth> {
        if self.ttl.is_zero() {
            return None;
        }
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(key)
            .filter(|e| e.until > Instant::now())
            .map(|e| e.principal.clone())
    }

    /// Remembers `principal` until `ttl` from now or `expires_in`, whichever is sooner, unless
    /// something was forgotten since `generation` was read.
    pub fn put(
        &self,
        key: [u8; 32],
        principal: Auth,
        generation: u64,
        expires_in: Option<Duration>,
    ) {
        if self.ttl.is_zero() {
            return;
        }
        let now = Instant::now();
        let until = now + expires_in.map_or(self.ttl, |e| e.min(self.ttl));
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        // Checked under the lock `forget` takes, so a concurrent forget cannot be overtaken.
        if self.generation.load(Ordering::Acquire) != generation {
            return;
        }
        if entries.len() >= CAPACITY {
            entries.retain(|_, e| e.until > now);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(key, Entry { principal, until });
    }

    /// Forgets every caller of `org_id`: their role, department reach or key may have changed.
    pub fn forget(&self, org_id: Uuid) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        self.generation.fetch_add(1, Ordering::AcqRel);
        entries.retain(|_, e| e.principal.scope.org_id != org_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::role::Role;

    fn principal(org_id: Uuid) -> Auth {
        let now = chrono::Utc::now();
        let user = User {
            id: Uuid::now_v7(),
            email: "a@b.cn".into(),
            name: "甲".into(),
            role: Role::Sales,
            department_id: Uuid::now_v7(),
            active: true,
            version: 1,
            created_at: now,
            updated_at: now,
            last_login_at: None,
        };
        Auth {
            scope: Scope {
                org_id,
                user_id: user.id,
                role: Role::Sales,
                visible_owners: Some(vec![user.id]),
            },
            user,
            key_scopes: None,
        }
    }

    #[test]
    fn remembers_until_forgotten_or_expired() {
        let cache = PrincipalCache::new(Duration::from_secs(10));
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        cache.put([1; 32], principal(a), cache.generation(), None);
        cache.put([2; 32], principal(b), cache.generation(), None);
        assert!(cache.get(&[1; 32]).is_some());
        cache.forget(a);
        assert!(
            cache.get(&[1; 32]).is_none(),
            "the changed organization is forgotten"
        );
        assert!(cache.get(&[2; 32]).is_some(), "other organizations stay");

        // A lookup that started before a forget does not store what it read.
        let before = cache.generation();
        cache.forget(b);
        cache.put([3; 32], principal(b), before, None);
        assert!(cache.get(&[3; 32]).is_none());

        // Never past the token's own expiry.
        cache.put(
            [4; 32],
            principal(a),
            cache.generation(),
            Some(Duration::ZERO),
        );
        assert!(cache.get(&[4; 32]).is_none());

        let off = PrincipalCache::new(Duration::ZERO);
        off.put([5; 32], principal(a), off.generation(), None);
        assert!(off.get(&[5; 32]).is_none(), "ttl 0 turns the cache off");
    }
}
