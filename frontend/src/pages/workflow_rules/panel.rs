//! One rule's panel on the rules page: a dry run against a real record — chosen by name or by
//! id, optionally with the change to test "changed" and the listened fields against — showing
//! whether it would match (and why not) and what it would do, nothing written; and the rule's
//! latest runs, on whichever records.

use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, Loading, RecordPicker};
use crate::i18n::{use_i18n, Wf, K};
use crate::workflow::conditions::{FieldSelect, ValueInput};
use crate::workflow::runs::{reason_text, EffectList, RunList};
use crate::workflow::Schema;
use domain::registry;
use domain::workflow::{DryRun, DryRunInput, WorkflowRule, WorkflowRun};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;
use uuid::Uuid;

#[component]
pub fn RulePanel(rule: WorkflowRule, on_close: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let entity = registry::entity(&rule.entity).unwrap_or(&registry::ACCOUNT);
    let schema = Schema::new(entity);
    let id = rule.id;
    let record = RwSignal::new(String::new());
    let field = RwSignal::new(String::new());
    let old = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let result = RwSignal::new(None::<Result<DryRun, ApiError>>);
    let runs = RwSignal::new(None::<Result<Vec<WorkflowRun>, ApiError>>);
    let load_runs = move || {
        runs.set(None);
        spawn_local(async move {
            let _ = runs.try_set(Some(api::workflows::runs(id).await));
        });
    };
    load_runs();

    let dry_run = move |_| {
        let Ok(record_id) = record.get_untracked().trim().parse::<Uuid>() else {
            return;
        };
        let f = field.get_untracked();
        let changes = (!f.is_empty()).then(|| {
            json!([{
                "field": f,
                "old": schema.value_of(&f, &old.get_untracked()),
                "new": schema.value_of(&f, &new.get_untracked()),
            }])
        });
        busy.set(true);
        spawn_local(async move {
            let answer = api::workflows::dry_run(id, &DryRunInput { record_id, changes }).await;
            let _ = busy.try_set(false);
            let _ = result.try_set(Some(answer));
        });
    };
    let outcome = move || {
        result.get().map(|r| match r {
            Err(e) => view! { <ErrorNotice error=e /> }.into_any(),
            Ok(dry) => view! {
                <div class="dry-run-result" id="dry-run-result" data-matched=dry.matched.to_string()>
                    <p>
                        <span class=if dry.matched { "badge run-done" } else { "badge run-skipped" }>
                            {move || i.t(if dry.matched { Wf::WouldRun } else { Wf::WouldNotRun })}
                        </span>
                    </p>
                    {dry.reason.map(|r| view! { <p class="hint run-reason">{move || reason_text(&r, schema, i)}</p> })}
                    <EffectList effects=dry.effects schema />
                </div>
            }
            .into_any(),
        })
    };
    let changeable = Signal::derive(move || schema.changeable());
    view! {
        <section class="panel rule-panel" id="rule-panel" data-id=id.to_string()>
            <div class="page-head">
                <h2>{rule.name.clone()}</h2>
                <button type="button" id="close-rule-panel" on:click=move |_| on_close.run(())>{move || i.t(K::Close)}</button>
            </div>
            <h3>{move || i.t(Wf::DryRun)}</h3>
            <p class="hint">{move || i.t(Wf::DryRunHint)}</p>
            <div class="grid">
                <div class="field">
                    <label for="dry-run-record">{move || i.t(Wf::DryRunRecord)}</label>
                    <RecordPicker id="dry-run-record" api_path=format!("/{}", entity.plural) value=record />
                </div>
                <div class="field">
                    <label for="dry-run-id">{move || i.t(Wf::RecordId)}</label>
                    <input id="dry-run-id" type="text" placeholder="0190…" bind:value=record />
                </div>
            </div>
            <div class="field wide">
                <span class="label">{move || i.t(Wf::DryRunChange)}</span>
                <div class="rule-row">
                    <FieldSelect schema fields=changeable value=field id="dry-run-field" blank=Wf::AsCreated on_change=Callback::new(move |f| field.set(f)) />
                    <Show when=move || !field.with(String::is_empty)>
                        <span class="hint">{move || i.t(Wf::From)}</span>
                        <ValueInput schema field value=old class="dry-run-old" on_change=Callback::new(move |v| old.set(v)) />
                        <span class="hint">{move || i.t(Wf::To)}</span>
                        <ValueInput schema field value=new class="dry-run-new" on_change=Callback::new(move |v| new.set(v)) />
                    </Show>
                </div>
            </div>
            <button
                type="button"
                class="primary"
                id="run-dry-run"
                disabled=move || busy.get() || record.with(|r| r.trim().parse::<Uuid>().is_err())
                on:click=dry_run
            >
                {move || i.t(Wf::RunDryRun)}
            </button>
            {outcome}
            <div class="page-head">
                <h3>{move || i.t(Wf::RuleRuns)}</h3>
                <button type="button" id="refresh-runs" on:click=move |_| load_runs()>{move || i.t(K::Refresh)}</button>
            </div>
            <div id="rule-runs">
                {move || match runs.get() {
                    None => view! { <Loading /> }.into_any(),
                    Some(Err(e)) => view! { <ErrorNotice error=e /> }.into_any(),
                    Some(Ok(runs)) => view! { <RunList runs schema records=true /> }.into_any(),
                }}
            </div>
        </section>
    }
}
