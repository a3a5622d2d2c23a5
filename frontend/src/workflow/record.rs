//! Under a record whose entity rules run on: the rules that ran on it (`GET /workflow-runs`) and
//! its approvals. Rules run a moment after a change (from the server's outbox), so while one of
//! its runs is pending the list is read again every [`POLL`]; once they have run, the record is
//! read again too, as a rule may have changed it.

use super::approval_list::ApprovalTable;
use super::runs::RunList;
use super::Schema;
use crate::api::{self, approvals::Which, ApiError};
use crate::components::ErrorNotice;
use crate::i18n::{use_i18n, Ap, Wf};
use domain::approval::Approval;
use domain::workflow::{RunState, WorkflowRun};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;
use uuid::Uuid;

/// How often pending runs are looked at again.
const POLL: Duration = Duration::from_millis(1500);
/// How many times at most, after one change (a stopped worker must not keep a page asking).
const POLLS: u32 = 80;

/// Both sections, reloaded with the record (`changes`); `on_change` reloads the record.
#[component]
pub fn RecordAutomation(
    schema: Schema,
    id: Uuid,
    changes: Signal<u32>,
    on_change: Callback<()>,
) -> impl IntoView {
    view! {
        <RecordRuns schema id changes on_change />
        <RecordApprovals id changes />
    }
}

#[component]
fn RecordRuns(
    schema: Schema,
    id: Uuid,
    changes: Signal<u32>,
    on_change: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let runs = RwSignal::new(None::<Vec<WorkflowRun>>);
    let error = RwSignal::new(None::<ApiError>);
    let tick = RwSignal::new(0u32);
    // Whether the last answer had pending runs, and how many polls are left.
    let waiting = StoredValue::new(false);
    let polls = StoredValue::new(POLLS);
    let entity = schema.entity.get_untracked().name;
    Effect::new(move |seen: Option<u32>| {
        let now = changes.get();
        tick.track();
        if seen != Some(now) {
            polls.set_value(POLLS);
        }
        spawn_local(async move {
            match api::workflows::runs_on(entity, id).await {
                Ok(list) => {
                    let pending = list.iter().any(|r| r.state == RunState::Pending);
                    let ran = waiting.try_get_value() == Some(true) && !pending;
                    waiting.set_value(pending);
                    let _ = runs.try_set(Some(list));
                    if ran {
                        on_change.run(());
                    } else if pending && polls.get_value() > 0 {
                        polls.update_value(|n| *n -= 1);
                        set_timeout(
                            move || {
                                let _ = tick.try_update(|n| *n += 1);
                            },
                            POLL,
                        );
                    }
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
        now
    });
    view! {
        <section class="panel workflow-runs" id="workflow-runs">
            <h2>{move || i.t(Wf::RulesThatRan)}</h2>
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
            {move || runs.get().map(|runs| view! { <RunList runs schema /> })}
        </section>
    }
}

#[component]
fn RecordApprovals(id: Uuid, changes: Signal<u32>) -> impl IntoView {
    let i = use_i18n();
    let list = RwSignal::new(None::<Vec<Approval>>);
    let error = RwSignal::new(None::<ApiError>);
    Effect::new(move |_| {
        changes.track();
        spawn_local(async move {
            match api::approvals::list(Which::Of(id), None).await {
                Ok(page) => {
                    let _ = list.try_set(Some(page.data));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    });
    view! {
        <section class="panel record-approvals" id="record-approvals">
            <h2>{move || i.t(Ap::Approvals)}</h2>
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
            {move || list.get().map(|approvals| if approvals.is_empty() {
                view! { <p class="empty">{move || i.t(Ap::NoApprovals)}</p> }.into_any()
            } else {
                view! { <ApprovalTable approvals id="record-approvals-table" /> }.into_any()
            })}
        </section>
    }
}
