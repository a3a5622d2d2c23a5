//! Event types as the page shows them: grouped by entity (`account.created` under 客户), with
//! `{entity}.*` standing for every action of the entity, now and later.

use crate::i18n::{I18n, K};
use crate::registry;

/// The suffix of a pattern that subscribes to each action of an entity.
const ALL: &str = "*";

/// One entity's event types, as offered by the server.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityEvents {
    pub entity: String,
    pub actions: Vec<String>,
}

/// The offered types (`account.created`, …) by entity, in the server's order.
pub fn group(types: &[String]) -> Vec<EntityEvents> {
    let mut groups: Vec<EntityEvents> = Vec::new();
    for t in types {
        let Some((entity, action)) = t.split_once('.') else {
            continue;
        };
        match groups.iter_mut().find(|g| g.entity == entity) {
            Some(g) => g.actions.push(action.to_string()),
            None => groups.push(EntityEvents {
                entity: entity.to_string(),
                actions: vec![action.to_string()],
            }),
        }
    }
    groups
}

pub fn all_pattern(entity: &str) -> String {
    format!("{entity}.{ALL}")
}

/// Whether the chosen patterns take every action of `entity`.
pub fn takes_all(chosen: &[String], entity: &str) -> bool {
    chosen.iter().any(|p| *p == all_pattern(entity))
}

/// Whether the chosen patterns take `entity.action` (itself, or all of the entity).
pub fn takes(chosen: &[String], entity: &str, action: &str) -> bool {
    takes_all(chosen, entity) || chosen.iter().any(|p| *p == format!("{entity}.{action}"))
}

/// "All actions" on or off: either way the entity's single types go (all of them are in `.*`).
pub fn set_all(chosen: &mut Vec<String>, entity: &str, on: bool) {
    let prefix = format!("{entity}.");
    chosen.retain(|p| !p.starts_with(&prefix));
    if on {
        chosen.push(all_pattern(entity));
    }
}

pub fn set_one(chosen: &mut Vec<String>, entity: &str, action: &str, on: bool) {
    let t = format!("{entity}.{action}");
    chosen.retain(|p| *p != t);
    if on {
        chosen.push(t);
    }
}

/// An endpoint's patterns by entity, in the order they were chosen: `None` is every action.
pub fn summary(patterns: &[String]) -> Vec<(String, Option<Vec<String>>)> {
    let mut out: Vec<(String, Option<Vec<String>>)> = Vec::new();
    for p in patterns {
        let (entity, action) = p.split_once('.').unwrap_or((p.as_str(), ""));
        let i = match out.iter().position(|(e, _)| e == entity) {
            Some(i) => i,
            None => {
                out.push((entity.to_string(), Some(Vec::new())));
                out.len() - 1
            }
        };
        match (&mut out[i].1, action) {
            (slot, ALL) => *slot = None,
            (Some(actions), a) => actions.push(a.to_string()),
            (None, _) => {}
        }
    }
    out
}

/// An entity's name (the registry's), or the name itself for one the app does not know.
pub fn entity_label(i: I18n, entity: &str) -> String {
    domain::registry::entity(entity)
        .map(|e| registry::label(i, e.label).to_string())
        .unwrap_or_else(|| entity.to_string())
}

/// An action's name (`created` → 创建), or the action itself.
pub fn action_label(i: I18n, action: &str) -> String {
    let k = match action {
        "created" => K::ActionCreate,
        "updated" => K::ActionUpdate,
        "deleted" => K::ActionDelete,
        "restored" => K::ActionRestore,
        "merged" => K::ActionMerge,
        "transferred" => K::ActionTransfer,
        "released" => K::ActionRelease,
        "claimed" => K::ActionClaim,
        _ => return action.to_string(),
    };
    i.t(k).to_string()
}

/// An event type as a person reads it: `客户 · 创建`, the test event by its name.
pub fn event_label(i: I18n, event_type: &str) -> String {
    if event_type == domain::webhook::TEST_EVENT {
        return i.t(K::TestEvent).to_string();
    }
    match event_type.split_once('.') {
        Some((e, a)) => format!("{} · {}", entity_label(i, e), action_label(i, a)),
        None => event_type.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn types_group_by_entity_in_order() {
        let g = group(&strings(&[
            "account.created",
            "account.updated",
            "contact.created",
        ]));
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].entity, "account");
        assert_eq!(g[0].actions, strings(&["created", "updated"]));
        assert_eq!(g[1].actions, strings(&["created"]));
    }

    #[test]
    fn all_actions_replaces_and_covers_the_single_types() {
        let mut chosen = strings(&["account.created", "contact.deleted"]);
        set_all(&mut chosen, "account", true);
        assert_eq!(chosen, strings(&["contact.deleted", "account.*"]));
        assert!(takes(&chosen, "account", "merged"));
        assert!(!takes(&chosen, "contact", "created"));
        set_all(&mut chosen, "account", false);
        assert_eq!(chosen, strings(&["contact.deleted"]));
        set_one(&mut chosen, "lead", "created", true);
        set_one(&mut chosen, "contact", "deleted", false);
        assert_eq!(chosen, strings(&["lead.created"]));
    }

    #[test]
    fn a_summary_names_each_entity_once() {
        let s = summary(&strings(&[
            "account.created",
            "opportunity.*",
            "account.updated",
        ]));
        assert_eq!(
            s,
            vec![
                (
                    "account".to_string(),
                    Some(strings(&["created", "updated"]))
                ),
                ("opportunity".to_string(), None),
            ]
        );
    }
}
