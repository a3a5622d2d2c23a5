//! Adding or editing one rule: its entity (fixed once added), name and description, trigger
//! (for an update or a save, optionally only changes of chosen fields; for a date, the date
//! field and the days after it — before it when negative), its conditions in the
//! list filter language (fields and operators from the entity's metadata), an optional "changed
//! from/to", its actions ([`super::actions`]) and whether it is on. A 422 shows on its input;
//! an edit sends only what changed, with `If-Match`, and a 412 offers to reload the rule.

use super::actions::{ActionDraft, ActionRows};
use super::trigger_label;
use crate::api::{self, records::etag_of};
use crate::form::{FieldErrors, FormField, Submit, SubmitNotices};
use crate::i18n::{use_i18n, Wf, K};
use crate::registry::label;
use crate::workflow::conditions::{ConditionRows, FieldChecks, FieldSelect, ValueInput};
use crate::workflow::{entities, Schema};
use domain::registry;
use domain::workflow::{
    Changed, Condition, Trigger, WorkflowRule, WorkflowRuleInput, WorkflowRulePatch,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The inputs of the form (errors on other fields go to the summary above it).
const SHOWN: &[&str] = &[
    "entity",
    "name",
    "description",
    "trigger",
    "date_field",
    "offset_days",
    "fields",
    "conditions",
    "changed",
    "actions",
    "enabled",
];

/// What an edit changes: only the parts that differ from `before`.
fn patch_of(before: &WorkflowRule, after: &WorkflowRuleInput) -> WorkflowRulePatch {
    fn differs<T: PartialEq + Clone>(a: &T, b: &T) -> Option<T> {
        (a != b).then(|| b.clone())
    }
    WorkflowRulePatch {
        name: differs(&before.name, &after.name),
        description: differs(&before.description, &after.description),
        trigger: differs(&before.trigger, &after.trigger),
        // A date field is replaced, never removed (the other triggers ignore it).
        date_field: differs(&before.date_field, &after.date_field).flatten(),
        offset_days: differs(&before.offset_days, &after.offset_days),
        fields: differs(&before.fields, &after.fields),
        conditions: differs(&before.conditions, &after.conditions),
        changed: differs(&before.changed, &after.changed),
        actions: differs(&before.actions, &after.actions),
        enabled: differs(&before.enabled, &after.enabled),
    }
}

/// Whether a trigger listens to updates (and so may name fields and a change).
fn updates(t: Trigger) -> bool {
    matches!(t, Trigger::Updated | Trigger::Saved)
}

#[component]
pub fn RuleForm(
    /// The rule edited; `None` adds one.
    rule: Option<WorkflowRule>,
    on_saved: Callback<WorkflowRule>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let submit = Submit::new();
    let errors = submit.errors;
    let first = rule
        .as_ref()
        .and_then(|r| registry::entity(&r.entity))
        .or_else(|| entities().next())
        .unwrap_or(&registry::ACCOUNT);
    let schema = Schema::new(first);
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let trigger = RwSignal::new(Trigger::Created);
    let date_field = RwSignal::new(String::new());
    let offset = RwSignal::new("0".to_string());
    let fields = RwSignal::new(Vec::<String>::new());
    let conditions = RwSignal::new(Vec::<Condition>::new());
    let changed_field = RwSignal::new(String::new());
    let changed_from = RwSignal::new(String::new());
    let changed_to = RwSignal::new(String::new());
    let actions = RwSignal::new(vec![ActionDraft::default()]);
    let enabled = RwSignal::new(true);
    // The stored version: what an edit compares with and the `If-Match` it sends.
    let before = RwSignal::new(rule);
    let fill = move |r: &WorkflowRule| {
        name.set(r.name.clone());
        description.set(r.description.clone());
        trigger.set(r.trigger);
        date_field.set(r.date_field.clone().unwrap_or_default());
        offset.set(r.offset_days.to_string());
        fields.set(r.fields.clone());
        conditions.set(r.conditions.clone());
        let c = r.changed.as_ref();
        changed_field.set(c.map(|c| c.field.clone()).unwrap_or_default());
        let text = |v: Option<&serde_json::Value>| v.map(Schema::input_text).unwrap_or_default();
        changed_from.set(text(c.and_then(|c| c.from.as_ref())));
        changed_to.set(text(c.and_then(|c| c.to.as_ref())));
        actions.set(r.actions.iter().map(ActionDraft::of).collect());
        enabled.set(r.enabled);
    };
    if let Some(r) = before.get_untracked() {
        fill(&r);
    }
    let editing = before.with_untracked(Option::is_some);

    let reload = Callback::new(move |_| {
        let Some(id) = before.with_untracked(|r| r.as_ref().map(|r| r.id)) else {
            return;
        };
        spawn_local(async move {
            match api::workflows::get(id).await {
                Ok(reply) => {
                    fill(&reply.body);
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
        let t = trigger.get_untracked();
        let field = changed_field.get_untracked();
        let value = |s: RwSignal<String>| {
            let v = schema.value_of(&field, &s.get_untracked());
            (!v.is_null()).then_some(v)
        };
        let changed = (updates(t) && !field.is_empty()).then(|| Changed {
            field: field.clone(),
            from: value(changed_from),
            to: value(changed_to),
        });
        let drafts = actions.get_untracked();
        let acts: Vec<_> = drafts
            .iter()
            .enumerate()
            .filter_map(|(n, a)| a.action(n, schema, errors))
            .collect();
        if acts.is_empty() && errors.is_empty_untracked() {
            errors.push("actions", "required", "required");
        }
        let dated = t == Trigger::Date;
        let offset_days = if dated {
            offset
                .get_untracked()
                .trim()
                .parse::<i32>()
                .unwrap_or_else(|_| {
                    errors.push("offset_days", "integer", "not a whole number");
                    0
                })
        } else {
            0
        };
        if !errors.is_empty_untracked() {
            return submit.end();
        }
        let input = WorkflowRuleInput {
            entity: schema.entity.get_untracked().name.to_string(),
            name: name.get_untracked().trim().to_string(),
            description: description.get_untracked().trim().to_string(),
            trigger: t,
            date_field: dated
                .then(|| date_field.get_untracked())
                .filter(|f| !f.is_empty()),
            offset_days,
            fields: if updates(t) {
                fields.get_untracked()
            } else {
                Vec::new()
            },
            conditions: conditions.get_untracked(),
            changed,
            actions: acts,
            enabled: enabled.get_untracked(),
        };
        spawn_local(async move {
            let result = match before.get_untracked() {
                None => api::workflows::create(&input).await,
                Some(r) => api::workflows::update(r.id, &etag_of(&r), &patch_of(&r, &input)).await,
            };
            match result {
                Ok(rule) => {
                    submit.end();
                    on_saved.run(rule);
                }
                Err(e) => submit.fail(e),
            }
        });
    };

    let choose_entity = move |ev| {
        let chosen = event_target_value(&ev);
        if let Some(e) = entities().find(|e| e.name == chosen) {
            schema.entity.set(e);
            // Another entity's fields: what named this one's goes.
            fields.set(Vec::new());
            conditions.set(Vec::new());
            changed_field.set(String::new());
            date_field.set(String::new());
            actions.update(|a| a.iter_mut().for_each(|a| a.field.clear()));
        }
    };
    let changeable = Signal::derive(move || schema.changeable());
    let dates = Signal::derive(move || schema.dates());
    let listens = move || updates(trigger.get());
    view! {
        <form class="record-form rule-form" id="rule-form" on:submit=on_submit novalidate>
            <h2>{move || i.t(if editing { Wf::EditRule } else { Wf::AddRule })}</h2>
            <SubmitNotices submit shown=SHOWN on_reload=reload />
            <div class="grid">
                <FormField label=Wf::Entity field="entity" errors>
                    <select id="f-entity" disabled=editing on:change=choose_entity>
                        {entities().map(|e| view! {
                            <option value=e.name selected=move || schema.entity.get() == e>{move || label(i, e.label)}</option>
                        }).collect_view()}
                    </select>
                </FormField>
                <FormField label=K::Name field="name" errors>
                    <input id="f-name" type="text" maxlength="100" placeholder=move || i.t(Wf::NameExample) bind:value=name />
                </FormField>
                <FormField label=Wf::Trigger field="trigger" errors>
                    <select
                        id="f-trigger"
                        on:change=move |ev| {
                            if let Some(t) = Trigger::parse(&event_target_value(&ev)) {
                                trigger.set(t);
                            }
                        }
                    >
                        {Trigger::ALL.into_iter().map(|t| view! {
                            <option value=t.as_str() selected=move || trigger.get() == t>{move || i.t(trigger_label(t))}</option>
                        }).collect_view()}
                    </select>
                </FormField>
                <FormField label=K::Description field="description" errors>
                    <input id="f-description" type="text" maxlength="500" bind:value=description />
                </FormField>
            </div>
            <Show when=move || trigger.get() == Trigger::Date>
                <div class="grid">
                    <FormField label=Wf::DateField field="date_field" errors hint=Wf::DateFieldHint>
                        <FieldSelect schema fields=dates value=date_field id="f-date_field" on_change=Callback::new(move |f| date_field.set(f)) />
                    </FormField>
                    <FormField label=Wf::OffsetDays field="offset_days" errors hint=Wf::OffsetDaysHint>
                        <input id="f-offset_days" type="number" step="1" min="-3650" max="3650" bind:value=offset />
                    </FormField>
                </div>
            </Show>
            <Show when=listens>
                <div class="field wide" class:invalid=move || errors.has("fields") data-field="fields">
                    <span class="label">{move || i.t(Wf::ListenFields)}</span>
                    <small class="hint">{move || i.t(Wf::ListenFieldsHint)}</small>
                    <FieldChecks schema fields=changeable value=fields id="f-fields" />
                    <FieldErrors errors field="fields" />
                </div>
            </Show>
            <div class="field wide" class:invalid=move || errors.has("conditions") data-field="conditions">
                <span class="label">{move || i.t(Wf::Conditions)}</span>
                <small class="hint">{move || i.t(Wf::ConditionsHint)}</small>
                <ConditionRows schema rows=conditions errors path="conditions" />
            </div>
            <Show when=listens>
                <div class="field wide changed" class:invalid=move || errors.has("changed") data-field="changed">
                    <span class="label">{move || i.t(Wf::Changed)}</span>
                    <small class="hint">{move || i.t(Wf::ChangedHint)}</small>
                    <div class="rule-row">
                        <FieldSelect
                            schema
                            fields=changeable
                            value=changed_field
                            id="f-changed-field"
                            blank=Wf::AnyChange
                            on_change=Callback::new(move |f| {
                                changed_field.set(f);
                                changed_from.set(String::new());
                                changed_to.set(String::new());
                            })
                        />
                        <Show when=move || !changed_field.with(String::is_empty)>
                            <span class="hint">{move || i.t(Wf::From)}</span>
                            <ValueInput schema field=changed_field value=changed_from class="changed-from" on_change=Callback::new(move |v| changed_from.set(v)) />
                            <span class="hint">{move || i.t(Wf::To)}</span>
                            <ValueInput schema field=changed_field value=changed_to class="changed-to" on_change=Callback::new(move |v| changed_to.set(v)) />
                        </Show>
                    </div>
                    <FieldErrors errors field="changed" />
                </div>
            </Show>
            <div class="field wide" class:invalid=move || errors.has("actions") data-field="actions">
                <span class="label">{move || i.t(Wf::Actions)}</span>
                <ActionRows schema rows=actions errors />
            </div>
            <div class="field" data-field="enabled">
                <label class="inline" for="f-enabled">
                    <input id="f-enabled" type="checkbox" bind:checked=enabled />
                    " " {move || i.t(Wf::RuleOn)}
                </label>
            </div>
            <div class="actions">
                <button type="submit" class="primary" id="save-rule" disabled=move || submit.busy.get()>
                    {move || i.t(if submit.busy.get() { K::Saving } else { K::Save })}
                </button>
                <button type="button" id="cancel-rule" on:click=move |_| on_cancel.run(())>
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
    use domain::workflow::{Action, Recipient};
    use uuid::Uuid;

    fn rule() -> WorkflowRule {
        WorkflowRule {
            id: Uuid::from_u128(1),
            entity: "account".into(),
            name: "重点客户提醒".into(),
            description: String::new(),
            trigger: Trigger::Created,
            date_field: None,
            offset_days: 0,
            fields: Vec::new(),
            conditions: Vec::new(),
            changed: None,
            actions: vec![Action::Notify {
                to: Recipient::Owner,
                message: "新客户".into(),
            }],
            enabled: true,
            version: 1,
            created_by: Uuid::from_u128(2),
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    fn input(r: &WorkflowRule) -> WorkflowRuleInput {
        WorkflowRuleInput {
            entity: r.entity.clone(),
            name: r.name.clone(),
            description: r.description.clone(),
            trigger: r.trigger,
            date_field: r.date_field.clone(),
            offset_days: r.offset_days,
            fields: r.fields.clone(),
            conditions: r.conditions.clone(),
            changed: r.changed.clone(),
            actions: r.actions.clone(),
            enabled: r.enabled,
        }
    }

    #[test]
    fn an_edit_sends_only_what_changed() {
        let before = rule();
        let same = input(&before);
        assert_eq!(
            serde_json::to_value(patch_of(&before, &same)).unwrap(),
            serde_json::json!({})
        );
        let mut before = before;
        before.changed = Some(Changed {
            field: "class".into(),
            from: None,
            to: Some(serde_json::json!("key")),
        });
        let off = WorkflowRuleInput {
            enabled: false,
            changed: None,
            ..same
        };
        assert_eq!(
            serde_json::to_value(patch_of(&before, &off)).unwrap(),
            serde_json::json!({"changed": null, "enabled": false})
        );
    }
}
