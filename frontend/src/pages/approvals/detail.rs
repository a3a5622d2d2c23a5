//! One approval: `/approvals/{id}` — its process and state, the record and the change asked
//! for (by the record's field labels and values), each step's approvers and where each stands,
//! what the caller may decide ([`super::decide`]), and the trail of everything said and done.

use super::decide::DecisionPanel;
use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, Loading};
use crate::custom::LookupLink;
use crate::i18n::{choice_label, format_datetime, use_i18n, Ap, I18n, K};
use crate::pages::record::use_id_param;
use crate::routes;
use crate::session::use_auth;
use crate::workflow::approval_list::ApprovalBadge;
use crate::workflow::Schema;
use domain::approval::{Approval, ApprovalEvent, ApprovalState, ApprovalTask};
use domain::registry;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

/// A part of the change asked for by label: the record's fields, and a stage move's reasons.
fn proposed_label(field: &str, schema: Schema, i: I18n) -> String {
    match field {
        "reason" => i.t(Ap::MoveReason).to_string(),
        "lost_reason" => i.t(K::LostCategory).to_string(),
        f => schema.label(f, i),
    }
}

/// A part of the change asked for as a person reads it.
fn proposed_text(field: &str, value: &serde_json::Value, schema: Schema, i: I18n) -> String {
    match (field, value.as_str()) {
        ("lost_reason", Some(key)) => choice_label("lost_reason", key, i.locale()),
        _ => schema.value_text(field, value, i),
    }
}

/// A task's state in words.
fn task_state(s: &str) -> Ap {
    match s {
        "waiting" => Ap::TaskWaiting,
        "approved" => Ap::TaskApproved,
        "rejected" => Ap::TaskRejected,
        "returned" => Ap::TaskReturned,
        "delegated" => Ap::TaskDelegated,
        "skipped" => Ap::TaskSkipped,
        _ => Ap::TaskPending,
    }
}

/// A trail entry's action in words.
fn trail_action(a: &str) -> Ap {
    match a {
        "submit" => Ap::DidSubmit,
        "approve" => Ap::DidApprove,
        "reject" => Ap::DidReject,
        "return" => Ap::DidReturn,
        "delegate" => Ap::DidDelegate,
        "add_signer" => Ap::DidAddSigner,
        "cancel" => Ap::DidCancel,
        "approved" => Ap::DidGrant,
        _ => Ap::DidComment,
    }
}

#[component]
pub fn ApprovalPage() -> impl IntoView {
    let i = use_i18n();
    let id = use_id_param();
    let approval = RwSignal::new(None::<Result<Approval, ApiError>>);
    let load = move || {
        let Some(id) = id.get_untracked() else {
            return;
        };
        spawn_local(async move {
            let _ = approval.try_set(Some(api::approvals::get(id).await));
        });
    };
    Effect::new(move |_| {
        id.track();
        approval.set(None);
        load();
    });
    let decided = Callback::new(move |_: ()| load());
    view! {
        <section class="page approval-page">
            <div class="page-head">
                <A href=routes::APPROVALS attr:class="button" attr:id="back-to-approvals">{move || i.t(Ap::MyApprovals)}</A>
            </div>
            {move || match approval.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
                Some(Ok(a)) => view! { <ApprovalView approval=a on_decided=decided /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn ApprovalView(approval: Approval, on_decided: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let a = approval;
    let for_panel = a.clone();
    let entity = registry::entity(&a.entity).unwrap_or(&registry::ACCOUNT);
    let schema = Schema::new(entity);
    let (submitter, at, decided_at) = (a.submitted_by, a.submitted_at, a.decided_at);
    let proposed: Vec<(String, serde_json::Value)> = a
        .proposed
        .as_object()
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let steps = {
        let mut n: Vec<i32> = a.tasks.iter().map(|t| t.step).collect();
        n.sort_unstable();
        n.dedup();
        n
    };
    let pending = a.state == ApprovalState::Pending;
    let current = a.step;
    let tasks = a.tasks.clone();
    let step_view = move |step: i32| {
        let mine: Vec<ApprovalTask> = tasks.iter().filter(|t| t.step == step).cloned().collect();
        let now = pending && step == current;
        view! {
            <li class="approval-step" class:current=now data-step=step>
                <strong>{move || i.t_n(Ap::StepN, (step + 1).into())}</strong>
                {now.then(|| view! { <span class="badge approval-pending">{move || i.t(Ap::Deciding)}</span> })}
                <ul class="list-plain approval-tasks">
                    {mine.into_iter().map(|t| {
                        let (who, state, acted) = (t.approver_id, t.state.clone(), t.acted_at);
                        let badge = format!("badge task-{state}");
                        view! {
                            <li class="approval-task" data-approver=who.to_string() data-state=t.state.clone()>
                                <span class="who">{move || auth.user_name(who, i.t(K::Mine))}</span>
                                <span class=badge>{move || i.t(task_state(&state))}</span>
                                {acted.map(|at| view! { <time>{move || format_datetime(&at, i.locale())}</time> })}
                                {t.comment.map(|c| view! { <p class="task-comment">{c}</p> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </li>
        }
    };
    let trail_view = move |e: ApprovalEvent| {
        let (actor, target, at, action) = (e.actor_id, e.target_id, e.at, e.action.clone());
        view! {
            <li class="timeline-item trail-entry" data-action=e.action.clone()>
                <div class="history-head">
                    <strong>{move || i.t(trail_action(&action))}</strong>
                    <span class="who">
                        {move || actor.map(|u| auth.user_name(u, i.t(K::Mine))).unwrap_or_else(|| "Kehu".into())}
                        {move || target.map(|u| format!(" → {}", auth.user_name(u, i.t(K::Mine))))}
                    </span>
                    <time>{move || format_datetime(&at, i.locale())}</time>
                </div>
                {e.comment.map(|c| view! { <p class="trail-comment">{c}</p> })}
            </li>
        }
    };
    view! {
        <article class="record-card approval-card" data-id=a.id.to_string() data-state=a.state.as_str()>
            <div class="page-head">
                <h1 id="approval-title">{a.process_name.clone()} <ApprovalBadge state=a.state /></h1>
            </div>
            <dl class="props">
                <div class="prop" data-field="record">
                    <dt>{move || i.t(Ap::Record)}</dt>
                    <dd id="approval-record"><LookupLink entity id=a.entity_id /></dd>
                </div>
                <div class="prop" data-field="submitted_by">
                    <dt>{move || i.t(Ap::SubmittedBy)}</dt>
                    <dd>{move || auth.user_name(submitter, i.t(K::Mine))}</dd>
                </div>
                <div class="prop" data-field="submitted_at">
                    <dt>{move || i.t(Ap::SubmittedAt)}</dt>
                    <dd>{move || format_datetime(&at, i.locale())}</dd>
                </div>
                {decided_at.map(|d| view! {
                    <div class="prop" data-field="decided_at">
                        <dt>{move || i.t(Ap::DecidedAt)}</dt>
                        <dd>{move || format_datetime(&d, i.locale())}</dd>
                    </div>
                })}
            </dl>
            <h2>{move || i.t(Ap::Proposed)}</h2>
            <table class="changes" id="proposed">
                <thead>
                    <tr>
                        <th>{move || i.t(K::Field)}</th>
                        <th>{move || i.t(K::After)}</th>
                    </tr>
                </thead>
                <tbody>
                    {proposed.into_iter().map(|(f, v)| {
                        let (f1, f2) = (f.clone(), f.clone());
                        view! {
                            <tr data-field=f>
                                <td>{move || proposed_label(&f1, schema, i)}</td>
                                <td class="new">{move || proposed_text(&f2, &v, schema, i)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <h2>{move || i.t(Ap::Steps)}</h2>
            <ol class="list-plain approval-steps" id="approval-steps">{steps.into_iter().map(step_view).collect_view()}</ol>
        </article>
        {pending.then(|| view! { <DecisionPanel approval=for_panel on_decided /> })}
        <section class="panel approval-trail" id="approval-trail">
            <h2>{move || i.t(Ap::Trail)}</h2>
            <ol class="timeline">{a.trail.into_iter().map(trail_view).collect_view()}</ol>
        </section>
    }
}
