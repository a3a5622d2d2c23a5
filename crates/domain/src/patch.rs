//! PATCH semantics: a missing field leaves the value alone, `null` clears it.

use serde::{Deserialize, Deserializer};

/// Use with `#[serde(default, deserialize_with = "double_option")]` on an `Option<Option<T>>`:
/// absent → `None`, `null` → `Some(None)`, a value → `Some(Some(v))`.
pub fn double_option<'de, T, D>(de: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(de).map(Some)
}

/// A stored record's value as an input's: the same type, or an input's optional one (an
/// input's owner is optional, a stored record's never is). Used by `#[patchable]`.
pub trait Stored<T> {
    fn stored(&self) -> T;
}

impl<T: Clone> Stored<T> for T {
    fn stored(&self) -> T {
        self.clone()
    }
}

impl<T: Clone> Stored<Option<T>> for T {
    fn stored(&self) -> Option<T> {
        Some(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use crate::account::{AccountInput, AccountPatch};
    use crate::lead::{LeadInput, LeadPatch, LeadStatus};
    use serde_json::json;
    use uuid::Uuid;

    fn patch<T: serde::de::DeserializeOwned>(body: serde_json::Value) -> T {
        serde_json::from_value(body).expect("a valid patch")
    }

    #[test]
    fn a_patch_replaces_what_it_has_clears_its_nulls_and_keeps_the_rest() {
        let owner = Uuid::now_v7();
        let mut a = AccountInput {
            name: "丰泽".into(),
            phone: Some("0755 8888 6666".into()),
            industry: Some("retail".into()),
            owner_id: Some(owner),
            custom: serde_json::from_value(json!({"batch": "首批", "tier": 1})).expect("values"),
            ..AccountInput::default()
        };
        a.apply(patch::<AccountPatch>(json!({
            "industry": "manufacturing",
            "phone": null,
            "owner_id": null,
            "custom": {"tier": null}
        })));
        assert_eq!(a.name, "丰泽", "absent: kept");
        assert_eq!(a.industry.as_deref(), Some("manufacturing"));
        assert_eq!(a.phone, None, "null: cleared");
        assert_eq!(a.owner_id, Some(owner), "an owner is set, never cleared");
        assert_eq!(a.custom.get("batch"), Some(&json!("首批")));
        // A `null` custom value stays as `null` until the write's value check drops it.
        assert_eq!(a.custom.get("tier"), Some(&json!(null)));
        assert!(serde_json::from_value::<AccountPatch>(json!({"nmae": "x"})).is_err());
    }

    #[test]
    fn an_entitys_own_apply_runs_around_the_generated_one() {
        let mut l = LeadInput {
            name: "李强".into(),
            status: LeadStatus::Disqualified,
            disqualify_reason: Some("no_budget".into()),
            ..LeadInput::default()
        };
        l.apply(patch::<LeadPatch>(json!({"status": "contacted"})));
        assert_eq!(l.status, LeadStatus::Contacted);
        assert_eq!(
            l.disqualify_reason, None,
            "leaving disqualified drops the reason"
        );
    }
}
