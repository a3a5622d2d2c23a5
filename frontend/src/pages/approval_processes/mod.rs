//! Approval processes (审批流程, admins): `/admin/approval-processes`. Each process with its
//! entity, what it guards, its steps and whether it is on; added and edited in [`form`] (guards
//! and steps in [`steps`]) and turned on and off. Processes are not deleted: approvals refer to
//! them; one turned off guards nothing.

mod form;
mod steps;

use crate::api::{self, records::etag_of, ApiError};
use crate::components::{ErrorNotice, FieldText, Loading};
use crate::form::{Submit, SubmitNotices};
use crate::i18n::{use_i18n, Ap, I18n, Wf, K};
use crate::routes;
use crate::session::use_auth;
use crate::workflow::{entity_label, joined};
use domain::approval::{ApprovalProcess, ApprovalProcessPatch, Approvers, Step};
use domain::role::Role;
use form::ProcessForm;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use steps::{mode_label, role_label};

/// What a process guards, as a line: `阶段 → 谈判审核、赢单`.
fn guards_text(p: &ApprovalProcess, i: I18n) -> String {
    let text = FieldText::named(&p.entity);
    let auth = use_auth();
    let lines = p
        .guards
        .iter()
        .map(|g| {
            let label = text.map_or_else(|| g.field.clone(), |t| t.label_text(&g.field, i));
            let values = g
                .to
                .iter()
                .map(|v| text.map_or_else(|| v.to_string(), |t| t.value_text(&g.field, v, auth, i)))
                .collect();
            format!("{label} → {}", joined(values, i.locale()))
        })
        .collect();
    joined(lines, i.locale())
}

/// A step as a line: `财务会签（财务 · 会签）`.
fn step_text(s: &Step, i: I18n) -> String {
    let auth = use_auth();
    let who = match &s.approvers {
        Approvers::Users { user_ids } => joined(
            user_ids
                .iter()
                .map(|u| auth.user_name(*u, i.t(K::Mine)))
                .collect(),
            i.locale(),
        ),
        Approvers::Role { role } => i.t(role_label(*role)).to_string(),
        Approvers::DepartmentHead => i.t(Ap::DepartmentHead).to_string(),
    };
    i.t(Ap::StepLine)
        .replace("{name}", &s.name)
        .replace("{who}", &who)
        .replace("{mode}", i.t(mode_label(s.mode)))
}

#[derive(Debug, Clone, PartialEq)]
enum Editing {
    New,
    Process(Box<ApprovalProcess>),
}

#[component]
pub fn ApprovalProcessesPage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let processes = RwSignal::new(None::<Vec<ApprovalProcess>>);
    let load_error = RwSignal::new(None::<ApiError>);
    let editing = RwSignal::new(None::<Editing>);
    let actions = Submit::new();

    let load = move || {
        load_error.set(None);
        spawn_local(async move {
            match api::approvals::processes().await {
                Ok(all) => {
                    let _ = processes.try_set(Some(all));
                    actions.reset();
                }
                Err(e) => {
                    let _ = load_error.try_set(Some(e));
                }
            }
        });
    };
    load();
    let saved = Callback::new(move |_: ApprovalProcess| {
        editing.set(None);
        load();
    });
    let toggle = move |p: ApprovalProcess| {
        if !actions.begin() {
            return;
        }
        let patch = ApprovalProcessPatch {
            enabled: Some(!p.enabled),
            ..ApprovalProcessPatch::default()
        };
        let etag = etag_of(&p);
        spawn_local(async move {
            match api::approvals::update_process(p.id, &etag, &patch).await {
                Ok(_) => load(),
                Err(err) => actions.fail(err),
            }
        });
    };

    let row = move |p: ApprovalProcess| {
        let (p1, p2, p3) = (p.clone(), p.clone(), p.clone());
        let on = p.enabled;
        let entity = p.entity.clone();
        let steps = p.steps.clone();
        view! {
            <tr class="process-row" class:inactive=!on data-id=p.id.to_string() data-enabled=on.to_string()>
                <td class="name" data-label=move || i.t(K::Name)>{p.name.clone()}</td>
                <td class="entity" data-label=move || i.t(Wf::Entity)>{move || entity_label(&entity, i)}</td>
                <td class="guards" data-label=move || i.t(Ap::Guards)>{move || guards_text(&p1, i)}</td>
                <td class="steps" data-label=move || i.t(Ap::Steps)>
                    <ol class="list-plain">
                        {steps.into_iter().map(|s| view! { <li>{move || step_text(&s, i)}</li> }).collect_view()}
                    </ol>
                </td>
                <td class="state" data-label=move || i.t(K::Status)>
                    <span class=if on { "badge webhook-on" } else { "badge webhook-off" }>
                        {move || i.t(if on { Wf::RuleOn } else { Wf::RuleOff })}
                    </span>
                </td>
                <td class="row-actions">
                    <button type="button" class="link edit-process" on:click=move |_| editing.set(Some(Editing::Process(Box::new(p2.clone()))))>
                        {move || i.t(K::Edit)}
                    </button>
                    <button type="button" class="link toggle-process" on:click=move |_| toggle(p3.clone())>
                        {move || i.t(if on { Wf::TurnOff } else { Wf::TurnOn })}
                    </button>
                </td>
            </tr>
        }
    };
    let table = move || {
        let list = processes.get().unwrap_or_default();
        if list.is_empty() {
            return view! { <p class="empty" id="no-processes">{move || i.t(Ap::NoProcesses)}</p> }
                .into_any();
        }
        view! {
            <div class="table-wrap">
                <table class="records processes-table" id="processes-table">
                    <thead>
                        <tr>
                            <th>{move || i.t(K::Name)}</th>
                            <th>{move || i.t(Wf::Entity)}</th>
                            <th>{move || i.t(Ap::Guards)}</th>
                            <th>{move || i.t(Ap::Steps)}</th>
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
        <section class="page processes-page">
            <div class="page-head">
                <h1>{move || i.t(Ap::ProcessesTitle)}</h1>
                <A href=routes::SETTINGS attr:class="button">{move || i.t(K::SettingsTitle)}</A>
            </div>
            <p class="hint">{move || i.t(Ap::ProcessesHint)}</p>
            <Show when=not_admin>
                <div class="notice info" id="admin-only">{move || i.t(K::AdminOnly)}</div>
            </Show>
            {move || match (load_error.get(), processes.with(Option::is_some)) {
                (Some(e), _) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
                (None, false) => view! { <Loading /> }.into_any(),
                (None, true) => view! {
                    <section class="panel" id="processes">
                        <SubmitNotices submit=actions shown=&[] on_reload=Callback::new(move |_| load()) />
                        {table}
                        {move || match editing.get() {
                            None => view! {
                                <button type="button" class="primary" id="new-process" on:click=move |_| editing.set(Some(Editing::New))>
                                    {move || i.t(Ap::AddProcess)}
                                </button>
                            }
                            .into_any(),
                            Some(e) => {
                                let process = match e {
                                    Editing::New => None,
                                    Editing::Process(p) => Some(*p),
                                };
                                view! {
                                    <ProcessForm
                                        process
                                        on_saved=saved
                                        on_cancel=Callback::new(move |_| {
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
        </section>
    }
}
