//! Workflow rules (工作流规则, admins): `/admin/workflow-rules`. Each rule with its entity, its
//! trigger, what it does, on or off; added and edited in [`form`] (actions in [`actions`]),
//! turned on and off, deleted (asked once more), and opened in a panel with its dry run and its
//! runs ([`panel`]).

mod actions;
mod form;
mod panel;

use crate::api::{self, records::etag_of, ApiError};
use crate::components::{DeleteConfirm, ErrorNotice, FieldText, Loading};
use crate::form::{Submit, SubmitNotices};
use crate::i18n::{use_i18n, I18n, Wf, K};
use crate::routes;
use crate::session::use_auth;
use crate::workflow::{entity_label, joined};
use domain::role::Role;
use domain::workflow::{Action, Trigger, WorkflowRule, WorkflowRulePatch};
use form::RuleForm;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use panel::RulePanel;
use uuid::Uuid;

pub fn trigger_label(t: Trigger) -> Wf {
    match t {
        Trigger::Created => Wf::TriggerCreated,
        Trigger::Updated => Wf::TriggerUpdated,
        Trigger::Saved => Wf::TriggerSaved,
        Trigger::Deleted => Wf::TriggerDeleted,
        Trigger::Date => Wf::TriggerDate,
    }
}

/// What a rule does, as a line of its action types: `通知、新建任务`.
fn actions_text(actions: &[Action], i: I18n) -> String {
    let names = actions
        .iter()
        .map(|a| {
            i.t(match a {
                Action::SetField { .. } => Wf::ActionSetField,
                Action::Assign { .. } => Wf::ActionAssign,
                Action::CreateTask { .. } => Wf::ActionCreateTask,
                Action::Notify { .. } => Wf::ActionNotify,
                Action::CallWebhook { .. } => Wf::ActionCallWebhook,
            })
            .to_string()
        })
        .collect();
    joined(names, i.locale())
}

/// The fields a rule listens to, by label: `客户类别、行业`.
fn fields_text(entity: &str, fields: &[String], i: I18n) -> String {
    let names = match FieldText::named(entity) {
        Some(t) => fields.iter().map(|f| t.label_text(f, i)).collect(),
        None => fields.to_vec(),
    };
    joined(names, i.locale())
}

/// What the form is open for.
#[derive(Debug, Clone, PartialEq)]
enum Editing {
    New,
    Rule(Box<WorkflowRule>),
}

#[component]
pub fn WorkflowRulesPage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let rules = RwSignal::new(None::<Vec<WorkflowRule>>);
    let load_error = RwSignal::new(None::<ApiError>);
    let editing = RwSignal::new(None::<Editing>);
    let opened = RwSignal::new(None::<WorkflowRule>);
    let confirming = RwSignal::new(None::<Uuid>);
    // The row actions (on/off, delete): their failures, a 412 among them.
    let actions = Submit::new();

    let load = move || {
        load_error.set(None);
        spawn_local(async move {
            match api::workflows::list_all().await {
                Ok(all) => {
                    let _ = rules.try_set(Some(all));
                    actions.reset();
                }
                Err(e) => {
                    let _ = load_error.try_set(Some(e));
                }
            }
        });
    };
    load();

    let saved = Callback::new(move |_: WorkflowRule| {
        editing.set(None);
        load();
    });
    let toggle = move |r: WorkflowRule| {
        if !actions.begin() {
            return;
        }
        let patch = WorkflowRulePatch {
            enabled: Some(!r.enabled),
            ..WorkflowRulePatch::default()
        };
        let etag = etag_of(&r);
        spawn_local(async move {
            match api::workflows::update(r.id, &etag, &patch).await {
                Ok(_) => load(),
                Err(err) => actions.fail(err),
            }
        });
    };
    let delete = Callback::new(move |id: Uuid| {
        if !actions.begin() {
            return;
        }
        spawn_local(async move {
            match api::workflows::delete(id).await {
                Ok(()) => {
                    confirming.set(None);
                    if opened.with_untracked(|o| o.as_ref().is_some_and(|o| o.id == id)) {
                        opened.set(None);
                    }
                    load();
                }
                Err(err) => actions.fail(err),
            }
        });
    });

    let row = move |r: WorkflowRule| {
        let id = r.id;
        let (r1, r2, r3) = (r.clone(), r.clone(), r.clone());
        let (entity, trigger, on) = (r.entity.clone(), r.trigger, r.enabled);
        let entity2 = r.entity.clone();
        let listened = r.fields.clone();
        let acts = r.actions.clone();
        view! {
            <tr class="workflow-rule-row" class:inactive=!on data-id=id.to_string() data-enabled=on.to_string()>
                <td class="name" data-label=move || i.t(K::Name)>
                    {r.name.clone()}
                    {(!r.description.is_empty()).then(|| view! { <div class="hint">{r.description.clone()}</div> })}
                </td>
                <td class="entity" data-label=move || i.t(Wf::Entity)>{move || entity_label(&entity, i)}</td>
                <td class="trigger" data-label=move || i.t(Wf::Trigger)>
                    {move || i.t(trigger_label(trigger))}
                    {(!listened.is_empty()).then(|| view! { <div class="hint">{move || fields_text(&entity2, &listened, i)}</div> })}
                </td>
                <td class="actions-summary" data-label=move || i.t(Wf::Actions)>{move || actions_text(&acts, i)}</td>
                <td class="state" data-label=move || i.t(K::Status)>
                    <span class=if on { "badge webhook-on" } else { "badge webhook-off" }>
                        {move || i.t(if on { Wf::RuleOn } else { Wf::RuleOff })}
                    </span>
                </td>
                <td class="row-actions">
                    <button type="button" class="link open-rule" on:click=move |_| opened.set(Some(r1.clone()))>
                        {move || i.t(Wf::DryRunAndRuns)}
                    </button>
                    <button type="button" class="link edit-rule" on:click=move |_| {
                        confirming.set(None);
                        editing.set(Some(Editing::Rule(Box::new(r2.clone()))));
                    }>
                        {move || i.t(K::Edit)}
                    </button>
                    <button type="button" class="link toggle-rule" on:click=move |_| toggle(r3.clone())>
                        {move || i.t(if on { Wf::TurnOff } else { Wf::TurnOn })}
                    </button>
                    <DeleteConfirm id confirming warning=Wf::RuleDeleteWarning class="delete-rule" on_delete=delete />
                </td>
            </tr>
        }
    };

    let table = move || {
        let list = rules.get().unwrap_or_default();
        if list.is_empty() {
            return view! { <p class="empty" id="no-rules">{move || i.t(Wf::NoRules)}</p> }
                .into_any();
        }
        view! {
            <div class="table-wrap">
                <table class="records workflow-rules-table" id="workflow-rules-table">
                    <thead>
                        <tr>
                            <th>{move || i.t(K::Name)}</th>
                            <th>{move || i.t(Wf::Entity)}</th>
                            <th>{move || i.t(Wf::Trigger)}</th>
                            <th>{move || i.t(Wf::Actions)}</th>
                            <th>{move || i.t(K::Status)}</th>
                            <th></th>
                        </tr>
                    </thead>
                    <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any()
    };

    let not_admin = move || auth.role().is_some_and(|r| r != Role::Admin);
    view! {
        <section class="page workflow-rules-page">
            <div class="page-head">
                <h1>{move || i.t(Wf::RulesTitle)}</h1>
                <A href=routes::SETTINGS attr:class="button">{move || i.t(K::SettingsTitle)}</A>
            </div>
            <p class="hint">{move || i.t(Wf::RulesHint)}</p>
            <Show when=not_admin>
                <div class="notice info" id="admin-only">{move || i.t(K::AdminOnly)}</div>
            </Show>
            {move || match (load_error.get(), rules.with(Option::is_some)) {
                (Some(e), _) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
                (None, false) => view! { <Loading /> }.into_any(),
                (None, true) => view! {
                    <section class="panel" id="workflow-rules">
                        <SubmitNotices submit=actions shown=&[] on_reload=Callback::new(move |_| load()) />
                        {table}
                        {move || match editing.get() {
                            None => view! {
                                <button type="button" class="primary" id="new-rule" on:click=move |_| editing.set(Some(Editing::New))>
                                    {move || i.t(Wf::AddRule)}
                                </button>
                            }
                            .into_any(),
                            Some(e) => {
                                let rule = match e {
                                    Editing::New => None,
                                    Editing::Rule(r) => Some(*r),
                                };
                                view! {
                                    <RuleForm
                                        rule
                                        on_saved=saved
                                        on_cancel=Callback::new(move |_| {
                                            // It may have been reloaded meanwhile (a 412): so may the list.
                                            editing.set(None);
                                            load();
                                        })
                                    />
                                }
                                .into_any()
                            }
                        }}
                    </section>
                }
                .into_any(),
            }}
            {move || opened.get().map(|rule| view! { <RulePanel rule on_close=Callback::new(move |_| opened.set(None)) /> })}
        </section>
    }
}
