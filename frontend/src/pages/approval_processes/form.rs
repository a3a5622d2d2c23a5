//! Adding or editing one approval process: its entity, the records it covers (conditions in the
//! list filter language), its guards and the fields an approval holds for — fixed once added
//! (a process guarding other changes is another process) — and its name, steps, the users
//! copied on outcomes and whether it is on. A 422 shows on its input; an edit sends only what
//! changed, with `If-Match`, and a 412 offers to reload the process.

use super::steps::{new_step, GuardDraft, GuardRows, StepRows};
use crate::api::{self, records::etag_of};
use crate::form::{FieldErrors, FormField, Submit, SubmitNotices};
use crate::i18n::{use_i18n, Ap, Wf, K};
use crate::registry::label;
use crate::workflow::conditions::{ConditionRows, FieldChecks};
use crate::workflow::users::UserSet;
use crate::workflow::{entities, Schema};
use domain::approval::{ApprovalProcess, ApprovalProcessInput, ApprovalProcessPatch, Step};
use domain::registry;
use domain::workflow::Condition;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

const SHOWN: &[&str] = &[
    "entity",
    "name",
    "conditions",
    "guards",
    "fields",
    "steps",
    "cc",
    "enabled",
];

/// What an edit changes (only name, steps, copied users and on/off may).
fn patch_of(before: &ApprovalProcess, after: &ApprovalProcessInput) -> ApprovalProcessPatch {
    ApprovalProcessPatch {
        name: (before.name != after.name).then(|| after.name.clone()),
        steps: (before.steps != after.steps).then(|| after.steps.clone()),
        cc: (before.cc != after.cc).then(|| after.cc.clone()),
        enabled: (before.enabled != after.enabled).then_some(after.enabled),
    }
}

/// The fields an approval holds for: those chosen, and every guarded one (a guarded change
/// must be one the approval holds), in the form's order.
fn held(chosen: Vec<String>, guards: &[GuardDraft]) -> Vec<String> {
    let mut out = chosen;
    for g in guards {
        if !g.field.is_empty() && !out.contains(&g.field) {
            out.push(g.field.clone());
        }
    }
    out
}

#[component]
pub fn ProcessForm(
    /// The process edited; `None` adds one.
    process: Option<ApprovalProcess>,
    on_saved: Callback<ApprovalProcess>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let submit = Submit::new();
    let errors = submit.errors;
    let first = process
        .as_ref()
        .and_then(|p| registry::entity(&p.entity))
        .or_else(|| entities().find(|e| e.name == "opportunity"))
        .unwrap_or(&registry::OPPORTUNITY);
    let schema = Schema::new(first);
    let name = RwSignal::new(String::new());
    let conditions = RwSignal::new(Vec::<Condition>::new());
    let guards = RwSignal::new(vec![GuardDraft::default()]);
    let fields = RwSignal::new(Vec::<String>::new());
    let steps = RwSignal::new(vec![new_step()]);
    let cc = RwSignal::new(Vec::<Uuid>::new());
    let enabled = RwSignal::new(true);
    let before = RwSignal::new(process);
    let fill = move |p: &ApprovalProcess| {
        name.set(p.name.clone());
        conditions.set(p.conditions.clone());
        guards.set(p.guards.iter().map(GuardDraft::of).collect());
        fields.set(p.fields.clone());
        steps.set(p.steps.clone());
        cc.set(p.cc.clone());
        enabled.set(p.enabled);
    };
    if let Some(p) = before.get_untracked() {
        fill(&p);
    }
    let editing = before.with_untracked(Option::is_some);

    let reload = Callback::new(move |_| {
        let Some(id) = before.with_untracked(|p| p.as_ref().map(|p| p.id)) else {
            return;
        };
        spawn_local(async move {
            match api::approvals::process(id).await {
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
        let drafts = guards.get_untracked();
        let input = ApprovalProcessInput {
            entity: schema.entity.get_untracked().name.to_string(),
            name: name.get_untracked().trim().to_string(),
            conditions: conditions.get_untracked(),
            guards: drafts.iter().map(|g| g.guard(schema)).collect(),
            fields: held(fields.get_untracked(), &drafts),
            steps: steps
                .get_untracked()
                .into_iter()
                .map(|s| Step {
                    name: s.name.trim().to_string(),
                    ..s
                })
                .collect(),
            cc: cc.get_untracked(),
            enabled: enabled.get_untracked(),
        };
        spawn_local(async move {
            let result = match before.get_untracked() {
                None => api::approvals::create_process(&input).await,
                Some(p) => {
                    api::approvals::update_process(p.id, &etag_of(&p), &patch_of(&p, &input)).await
                }
            };
            match result {
                Ok(p) => {
                    submit.end();
                    on_saved.run(p);
                }
                Err(e) => submit.fail(e),
            }
        });
    };

    let choose_entity = move |ev| {
        let chosen = event_target_value(&ev);
        if let Some(e) = entities().find(|e| e.name == chosen) {
            schema.entity.set(e);
            conditions.set(Vec::new());
            guards.set(vec![GuardDraft::default()]);
            fields.set(Vec::new());
        }
    };
    let changeable = Signal::derive(move || schema.changeable());
    view! {
        <form class="record-form process-form" id="process-form" on:submit=on_submit novalidate>
            <h2>{move || i.t(if editing { Ap::EditProcess } else { Ap::AddProcess })}</h2>
            <SubmitNotices submit shown=SHOWN on_reload=reload />
            {editing.then(|| view! { <p class="hint">{move || i.t(Ap::FixedOnceAdded)}</p> })}
            <div class="grid">
                <FormField label=Wf::Entity field="entity" errors>
                    <select id="f-entity" disabled=editing on:change=choose_entity>
                        {entities().map(|e| view! {
                            <option value=e.name selected=move || schema.entity.get() == e>{move || label(i, e.label)}</option>
                        }).collect_view()}
                    </select>
                </FormField>
                <FormField label=K::Name field="name" errors>
                    <input id="f-name" type="text" maxlength="100" placeholder=move || i.t(Ap::NameExample) bind:value=name />
                </FormField>
            </div>
            <div class="field wide" class:invalid=move || errors.has("conditions") data-field="conditions">
                <span class="label">{move || i.t(Ap::Covers)}</span>
                <small class="hint">{move || i.t(Ap::CoversHint)}</small>
                <ConditionRows schema rows=conditions errors path="conditions" disabled=editing />
            </div>
            <div class="field wide" class:invalid=move || errors.has("guards") data-field="guards">
                <span class="label">{move || i.t(Ap::Guards)}</span>
                <small class="hint">{move || i.t(Ap::GuardsHint)}</small>
                <GuardRows schema rows=guards errors disabled=editing />
            </div>
            <div class="field wide" class:invalid=move || errors.has("fields") data-field="fields">
                <span class="label">{move || i.t(Ap::HeldFields)}</span>
                <small class="hint">{move || i.t(Ap::HeldFieldsHint)}</small>
                <FieldChecks schema fields=changeable value=fields id="f-fields" disabled=editing />
                <FieldErrors errors field="fields" />
            </div>
            <div class="field wide" class:invalid=move || errors.has("steps") data-field="steps">
                <span class="label">{move || i.t(Ap::Steps)}</span>
                <small class="hint">{move || i.t(Ap::StepsHint)}</small>
                <StepRows rows=steps errors />
            </div>
            <div class="field wide" class:invalid=move || errors.has("cc") data-field="cc">
                <span class="label">{move || i.t(Ap::Cc)}</span>
                <small class="hint">{move || i.t(Ap::CcHint)}</small>
                <UserSet id="f-cc" value=cc on_change=Callback::new(move |u| cc.set(u)) />
                <FieldErrors errors field="cc" />
            </div>
            <div class="field" data-field="enabled">
                <label class="inline" for="f-enabled">
                    <input id="f-enabled" type="checkbox" bind:checked=enabled />
                    " " {move || i.t(Wf::RuleOn)}
                </label>
            </div>
            <div class="actions">
                <button type="submit" class="primary" id="save-process" disabled=move || submit.busy.get()>
                    {move || i.t(if submit.busy.get() { K::Saving } else { K::Save })}
                </button>
                <button type="button" id="cancel-process" on:click=move |_| on_cancel.run(())>
                    {move || i.t(K::Cancel)}
                </button>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guarded_fields_are_always_held() {
        let guards = [
            GuardDraft {
                field: "stage_id".into(),
                to: vec!["x".into()],
            },
            GuardDraft::default(),
        ];
        assert_eq!(
            held(vec!["amount".into()], &guards),
            ["amount".to_string(), "stage_id".to_string()]
        );
        assert_eq!(
            held(vec!["stage_id".into()], &guards),
            ["stage_id".to_string()]
        );
    }
}
