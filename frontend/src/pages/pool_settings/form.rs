//! Adding or editing one pool: its name, its department (fixed once added: a pool for another
//! department is another pool), its return rules per account class (days without a follow-up,
//! days without a won deal; empty: not on that count), the warning days and the claim limits (an
//! empty "most held" is no limit). A 422 shows on its input; an edit sends only what changed,
//! with `If-Match`, and a 412 offers to reload the pool.

use crate::api::{self, records::etag_of};
use crate::form::{FieldErrors, FormErrors, FormField, Submit, SubmitNotices};
use crate::i18n::{class_label, use_i18n, K};
use domain::account::AccountClass;
use domain::auth::Department;
use domain::pool::{Pool, PoolInput, PoolPatch, RecycleRule};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The inputs of the form (errors on other fields go to the summary above it).
const SHOWN: &[&str] = &[
    "name",
    "department_id",
    "rules",
    "warn_days",
    "daily_claims",
    "max_held",
    "reclaim_days",
];

/// One class's rule inputs.
#[derive(Clone, Copy)]
struct RuleInputs {
    class: AccountClass,
    idle: RwSignal<String>,
    no_won: RwSignal<String>,
}

/// A whole number typed into `field`'s input: `None` when empty; a typo is reported on the field.
fn number(text: &str, field: &str, errors: FormErrors) -> Option<i32> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    t.parse().ok().or_else(|| {
        errors.push(field, "integer", "not a whole number");
        None
    })
}

/// A number the pool must have: an empty input is reported as required.
fn required(text: &str, field: &str, errors: FormErrors) -> i32 {
    number(text, field, errors).unwrap_or_else(|| {
        if text.trim().is_empty() {
            errors.push(field, "required", "required");
        }
        0
    })
}

/// The rules typed in, in the classes' order (a class with neither count has none).
fn rules_of(inputs: &[RuleInputs], errors: FormErrors) -> Vec<RecycleRule> {
    inputs
        .iter()
        .filter_map(|r| {
            let idle_days = number(&r.idle.get_untracked(), "rules", errors);
            let no_won_days = number(&r.no_won.get_untracked(), "rules", errors);
            (idle_days.is_some() || no_won_days.is_some()).then_some(RecycleRule {
                class: r.class,
                idle_days,
                no_won_days,
            })
        })
        .collect()
}

/// `rules` in the classes' order (the form's), to compare with what it would send.
fn in_class_order(rules: &[RecycleRule]) -> Vec<RecycleRule> {
    AccountClass::ALL
        .iter()
        .filter_map(|c| rules.iter().find(|r| r.class == *c).cloned())
        .collect()
}

/// What an edit changes: only the fields that differ from `before`.
fn patch_of(before: &Pool, after: &PoolInput) -> PoolPatch {
    let differs = |a: i32, b: i32| (a != b).then_some(b);
    PoolPatch {
        name: (after.name != before.name).then(|| after.name.clone()),
        rules: (after.rules != in_class_order(&before.rules)).then(|| after.rules.clone()),
        warn_days: differs(before.warn_days, after.warn_days),
        daily_claims: differs(before.daily_claims, after.daily_claims),
        max_held: (after.max_held != before.max_held).then_some(after.max_held),
        reclaim_days: differs(before.reclaim_days, after.reclaim_days),
    }
}

/// A new pool's values: the server's defaults.
fn defaults() -> Option<PoolInput> {
    serde_json::from_value(serde_json::json!({ "name": "" })).ok()
}

#[component]
pub fn PoolForm(
    /// The pool edited; `None` adds one.
    pool: Option<Pool>,
    departments: Vec<Department>,
    on_saved: Callback<Pool>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let submit = Submit::new();
    let errors = submit.errors;
    let name = RwSignal::new(String::new());
    let department = RwSignal::new(String::new());
    let rules: Vec<RuleInputs> = AccountClass::ALL
        .into_iter()
        .map(|class| RuleInputs {
            class,
            idle: RwSignal::new(String::new()),
            no_won: RwSignal::new(String::new()),
        })
        .collect();
    let rules = StoredValue::new(rules);
    let warn = RwSignal::new(String::new());
    let daily = RwSignal::new(String::new());
    let max_held = RwSignal::new(String::new());
    let reclaim = RwSignal::new(String::new());
    // The stored version: what an edit compares with and the `If-Match` it sends.
    let before = RwSignal::new(pool);
    let text = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
    let fill = move |p: &PoolInput| {
        name.set(p.name.clone());
        department.set(p.department_id.map(|d| d.to_string()).unwrap_or_default());
        rules.with_value(|inputs| {
            for r in inputs {
                let rule = p.rules.iter().find(|x| x.class == r.class);
                r.idle.set(text(rule.and_then(|x| x.idle_days)));
                r.no_won.set(text(rule.and_then(|x| x.no_won_days)));
            }
        });
        warn.set(p.warn_days.to_string());
        daily.set(p.daily_claims.to_string());
        max_held.set(text(p.max_held));
        reclaim.set(p.reclaim_days.to_string());
    };
    let input_of = |p: &Pool| PoolInput {
        name: p.name.clone(),
        department_id: p.department_id,
        rules: p.rules.clone(),
        warn_days: p.warn_days,
        daily_claims: p.daily_claims,
        max_held: p.max_held,
        reclaim_days: p.reclaim_days,
    };
    match before.get_untracked() {
        Some(p) => fill(&input_of(&p)),
        None => {
            if let Some(d) = defaults() {
                fill(&d);
            }
        }
    }
    let editing = before.with_untracked(Option::is_some);

    let reload = Callback::new(move |_| {
        let Some(id) = before.with_untracked(|p| p.as_ref().map(|p| p.id)) else {
            return;
        };
        spawn_local(async move {
            match api::pools::get(id).await {
                Ok(reply) => {
                    fill(&input_of(&reply.body));
                    before.set(Some(reply.body));
                    submit.reset();
                }
                Err(e) => submit.fail(e),
            }
        });
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !submit.begin() {
            return;
        }
        let input = PoolInput {
            name: name.get_untracked().trim().to_string(),
            department_id: department.get_untracked().parse().ok(),
            rules: rules.with_value(|r| rules_of(r, errors)),
            warn_days: required(&warn.get_untracked(), "warn_days", errors),
            daily_claims: required(&daily.get_untracked(), "daily_claims", errors),
            max_held: number(&max_held.get_untracked(), "max_held", errors),
            reclaim_days: required(&reclaim.get_untracked(), "reclaim_days", errors),
        };
        if !errors.is_empty_untracked() {
            return submit.end();
        }
        spawn_local(async move {
            let result = match before.get_untracked() {
                None => api::pools::create(&input).await,
                Some(p) => api::pools::update(p.id, &etag_of(&p), &patch_of(&p, &input)).await,
            };
            match result {
                Ok(pool) => {
                    submit.end();
                    on_saved.run(pool);
                }
                Err(e) => submit.fail(e),
            }
        });
    };

    let number_input = move |field: &'static str, value: RwSignal<String>, min: &'static str| {
        view! {
            <input
                id=format!("f-{field}")
                type="number"
                min=min
                step="1"
                inputmode="numeric"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        }
    };
    let rule_rows = rules.with_value(|inputs| {
        inputs
            .iter()
            .map(|r| {
                let (class, idle, no_won) = (r.class, r.idle, r.no_won);
                let day_input = move |what: &'static str, value: RwSignal<String>| {
                    view! {
                        <input
                            id=format!("f-{what}-{}", class.as_str())
                            type="number"
                            min="1"
                            step="1"
                            inputmode="numeric"
                            placeholder=move || i.t(K::NeverReturns)
                            prop:value=move || value.get()
                            on:input=move |ev| value.set(event_target_value(&ev))
                        />
                    }
                };
                view! {
                    <tr data-class=class.as_str()>
                        <td>{move || class_label(class, i.locale())}</td>
                        <td>{day_input("idle", idle)}</td>
                        <td>{day_input("no-won", no_won)}</td>
                    </tr>
                }
            })
            .collect_view()
    });
    let department_options = departments
        .into_iter()
        .map(|d| {
            let id = d.id.to_string();
            let sel = id.clone();
            view! { <option value=id selected=move || department.get() == sel>{d.name}</option> }
        })
        .collect_view();
    view! {
        <form class="record-form pool-form" id="pool-form" on:submit=on_submit novalidate>
            <h2>{move || i.t(if editing { K::EditPool } else { K::AddPool })}</h2>
            <SubmitNotices submit shown=SHOWN on_reload=reload />
            <div class="grid">
                <FormField label=K::Name field="name" errors>
                    <input
                        id="f-name"
                        type="text"
                        maxlength="100"
                        placeholder="华南公海"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </FormField>
                <FormField label=K::Department field="department_id" errors>
                    <select
                        id="f-department_id"
                        disabled=editing
                        prop:value=move || department.get()
                        on:change=move |ev| department.set(event_target_value(&ev))
                    >
                        <option value="">{move || i.t(K::WholeOrganization)}</option>
                        {department_options}
                    </select>
                </FormField>
            </div>
            <div class="field wide pool-rules" class:invalid=move || errors.has("rules") data-field="rules">
                <span class="label">{move || i.t(K::PoolRules)}</span>
                <table class="pool-rules-table" id="f-rules">
                    <thead>
                        <tr>
                            <th>{move || i.t(K::Class)}</th>
                            <th>{move || i.t(K::IdleDays)}</th>
                            <th>{move || i.t(K::NoWonDays)}</th>
                        </tr>
                    </thead>
                    <tbody>{rule_rows}</tbody>
                </table>
                <small class="hint">{move || i.t(K::PoolRulesHint)}</small>
                <FieldErrors errors field="rules" />
            </div>
            <div class="grid">
                <FormField label=K::WarnDays field="warn_days" errors>
                    {number_input("warn_days", warn, "0")}
                </FormField>
                <FormField label=K::DailyClaims field="daily_claims" errors>
                    {number_input("daily_claims", daily, "0")}
                </FormField>
                <FormField label=K::MaxHeld field="max_held" errors hint=K::MaxHeldHint>
                    {number_input("max_held", max_held, "1")}
                </FormField>
                <FormField label=K::ReclaimDays field="reclaim_days" errors>
                    {number_input("reclaim_days", reclaim, "0")}
                </FormField>
            </div>
            <div class="actions">
                <button type="submit" class="primary" id="save-pool" disabled=move || submit.busy.get()>
                    {move || i.t(if submit.busy.get() { K::Saving } else { K::Save })}
                </button>
                <button type="button" id="cancel-pool" on:click=move |_| on_cancel.run(())>
                    {move || i.t(K::Cancel)}
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use uuid::Uuid;

    fn rule(class: AccountClass, idle: Option<i32>) -> RecycleRule {
        RecycleRule {
            class,
            idle_days: idle,
            no_won_days: None,
        }
    }

    fn pool() -> Pool {
        Pool {
            id: Uuid::from_u128(1),
            name: "华南公海".into(),
            department_id: None,
            rules: vec![
                rule(AccountClass::Key, Some(30)),
                rule(AccountClass::Potential, Some(15)),
            ],
            warn_days: 3,
            daily_claims: 10,
            max_held: Some(50),
            reclaim_days: 30,
            accounts: 0,
            version: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn a_new_pool_starts_from_the_servers_defaults() {
        let d = defaults().expect("defaults");
        assert_eq!((d.warn_days, d.daily_claims, d.reclaim_days), (3, 10, 30));
        assert_eq!(d.max_held, None);
        assert!(d.rules.is_empty());
    }

    #[test]
    fn an_edit_sends_only_what_changed_and_null_lifts_the_limit() {
        let before = pool();
        let same = PoolInput {
            name: before.name.clone(),
            department_id: None,
            rules: in_class_order(&before.rules),
            warn_days: 3,
            daily_claims: 10,
            max_held: Some(50),
            reclaim_days: 30,
        };
        assert_eq!(
            serde_json::to_value(patch_of(&before, &same)).unwrap(),
            serde_json::json!({})
        );
        let changed = PoolInput {
            daily_claims: 20,
            max_held: None,
            ..same
        };
        assert_eq!(
            serde_json::to_value(patch_of(&before, &changed)).unwrap(),
            serde_json::json!({"daily_claims": 20, "max_held": null})
        );
    }
}
