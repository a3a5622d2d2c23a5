//! Runs of rules (a record's "rules that ran", a rule's runs) and what they did, each effect a
//! line as a person reads it: a field set from one value to another, a task made for someone,
//! a notice sent.

use super::{joined, Schema};
use crate::custom::LookupLink;
use crate::i18n::{format_datetime, use_i18n, I18n, Wf, K};
use crate::session::use_auth;
use domain::registry;
use domain::workflow::{Effect, RunState, WorkflowRun};
use leptos::prelude::*;

pub fn state_label(s: RunState) -> Wf {
    match s {
        RunState::Pending => Wf::RunPending,
        RunState::Done => Wf::RunDone,
        RunState::Skipped => Wf::RunSkipped,
        RunState::Failed => Wf::RunFailed,
    }
}

pub fn state_key(s: RunState) -> &'static str {
    match s {
        RunState::Pending => "pending",
        RunState::Done => "done",
        RunState::Skipped => "skipped",
        RunState::Failed => "failed",
    }
}

/// Why a run was skipped (or a dry run would not run), in the user's language where the
/// server's reason is one Kehu knows: `the change does not match `class`` → 变更不符合「客户类别」.
pub fn reason_text(reason: &str, schema: Schema, i: I18n) -> String {
    if reason == "the record does not match the conditions" {
        return i.t(Wf::ReasonConditions).to_string();
    }
    if reason == "the rule is off" {
        return i.t(Wf::ReasonOff).to_string();
    }
    match reason
        .strip_prefix("the change does not match `")
        .and_then(|r| r.strip_suffix('`'))
    {
        Some(field) => i
            .t(Wf::ReasonChange)
            .replace("{field}", &schema.label(field, i)),
        None => reason.to_string(),
    }
}

/// One effect as a line (tracked), the fields and values of `schema`'s entity.
pub fn effect_text(e: &Effect, schema: Schema, i: I18n) -> String {
    let auth = use_auth();
    let locale = i.locale();
    let who = |ids: &[uuid::Uuid]| {
        joined(
            ids.iter()
                .map(|u| auth.user_name(*u, i.t(K::Mine)))
                .collect(),
            locale,
        )
    };
    match e {
        Effect::SetField { field, from, to } => i
            .t(Wf::EffectSetField)
            .replace("{field}", &schema.label(field, i))
            .replace("{from}", &schema.value_text(field, from, i))
            .replace("{to}", &schema.value_text(field, to, i)),
        Effect::CreateTask {
            subject,
            due_at,
            owner_id,
        } => i
            .t(Wf::EffectTask)
            .replace("{subject}", subject)
            .replace("{who}", &who(&[*owner_id]))
            .replace("{due}", &format_datetime(due_at, locale)),
        Effect::Notify { user_ids, message } => i
            .t(Wf::EffectNotify)
            .replace("{who}", &who(user_ids))
            .replace("{message}", message),
        Effect::CallWebhook { endpoint_id } => i
            .t(Wf::EffectWebhook)
            .replace("{endpoint}", &endpoint_id.to_string()[..8]),
    }
}

/// Effects as a list (`.effects li[data-type]`).
#[component]
pub fn EffectList(effects: Vec<Effect>, schema: Schema) -> impl IntoView {
    let i = use_i18n();
    view! {
        <ul class="list-plain effects">
            {effects.into_iter().map(|e| {
                let kind = match e {
                    Effect::SetField { .. } => "set_field",
                    Effect::CreateTask { .. } => "create_task",
                    Effect::Notify { .. } => "notify",
                    Effect::CallWebhook { .. } => "call_webhook",
                };
                view! { <li data-type=kind>{move || effect_text(&e, schema, i)}</li> }
            }).collect_view()}
        </ul>
    }
}

/// Runs, newest first: the rule, its state, what it did (or why not) and when; `records` adds
/// each run's record (a rule's runs are on many).
#[component]
pub fn RunList(
    runs: Vec<WorkflowRun>,
    schema: Schema,
    #[prop(optional)] records: bool,
) -> impl IntoView {
    let i = use_i18n();
    if runs.is_empty() {
        return view! { <p class="empty no-runs">{move || i.t(Wf::NoRuns)}</p> }.into_any();
    }
    view! {
        <ol class="timeline run-list">
            {runs.into_iter().map(|r| {
                let state = r.state;
                let at = r.created_at;
                let record = records
                    .then(|| registry::entity(&r.entity).map(|e| view! { <LookupLink entity=e id=r.entity_id /> }))
                    .flatten();
                view! {
                    <li class="timeline-item workflow-run" data-state=state_key(state) data-rule=r.rule_id.to_string()>
                        <div class="history-head">
                            <strong class="rule-name">{r.rule_name.clone()}</strong>
                            <span class=format!("badge run-{}", state_key(state))>{move || i.t(state_label(state))}</span>
                            {record}
                            {(r.depth > 1).then(|| view! { <span class="hint">{move || i.t(Wf::RunByRule)}</span> })}
                            <time>{move || format_datetime(&at, i.locale())}</time>
                        </div>
                        {r.error.map(|e| view! { <p class="hint run-reason">{move || reason_text(&e, schema, i)}</p> })}
                        <EffectList effects=r.effects schema />
                    </li>
                }
            }).collect_view()}
        </ol>
    }
    .into_any()
}
