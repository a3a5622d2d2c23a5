//! Approvals as a table (the inbox, a record's approvals): the process, the record (by name),
//! the state, who submitted it and when; each row opens the approval's page.

use crate::api;
use crate::custom::LookupLink;
use crate::i18n::{format_datetime, use_i18n, Ap, K};
use crate::routes;
use crate::session::use_auth;
use domain::approval::{Approval, ApprovalState};
use domain::registry;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use std::collections::HashMap;
use uuid::Uuid;

pub fn state_label(s: ApprovalState) -> Ap {
    match s {
        ApprovalState::Pending => Ap::StatePending,
        ApprovalState::Approved => Ap::StateApproved,
        ApprovalState::Rejected => Ap::StateRejected,
        ApprovalState::Returned => Ap::StateReturned,
        ApprovalState::Cancelled => Ap::StateCancelled,
    }
}

/// An approval's state as a badge (`.badge.approval-approved`).
#[component]
pub fn ApprovalBadge(state: ApprovalState) -> impl IntoView {
    let i = use_i18n();
    view! {
        <span class=format!("badge approval-state approval-{}", state.as_str()) data-state=state.as_str()>
            {move || i.t(state_label(state))}
        </span>
    }
}

/// The names of the approvals' records, one request per entity.
fn load_names(approvals: &[Approval], names: RwSignal<HashMap<Uuid, String>>) {
    let mut by_entity: HashMap<String, Vec<Uuid>> = HashMap::new();
    for a in approvals {
        by_entity
            .entry(a.entity.clone())
            .or_default()
            .push(a.entity_id);
    }
    for (entity, ids) in by_entity {
        let Some(e) = registry::entity(&entity) else {
            continue;
        };
        spawn_local(async move {
            if let Ok(found) = api::names::names(&format!("/{}", e.plural), ids).await {
                let _ = names.try_update(|n| n.extend(found));
            }
        });
    }
}

/// `approvals` as rows (`tr.approval-row[data-id]`); `records` adds each one's record.
#[component]
pub fn ApprovalTable(
    approvals: Vec<Approval>,
    #[prop(optional)] records: bool,
    #[prop(into)] id: String,
) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let names = RwSignal::new(HashMap::<Uuid, String>::new());
    if records {
        load_names(&approvals, names);
    }
    let row = move |a: Approval| {
        let (submitter, at, record_id) = (a.submitted_by, a.submitted_at, a.entity_id);
        let record = records
            .then(|| registry::entity(&a.entity))
            .flatten()
            .map(|e| {
                let name = Signal::derive(move || names.with(|n| n.get(&record_id).cloned()));
                view! { <td class="record" data-label=move || i.t(Ap::Record)><LookupLink entity=e id=record_id name /></td> }
            });
        let step = a.step + 1;
        let pending = a.state == ApprovalState::Pending;
        view! {
            <tr class="approval-row" data-id=a.id.to_string() data-state=a.state.as_str()>
                <td class="name" data-label=move || i.t(Ap::Process)>
                    <A href=routes::approval_href(a.id) attr:class="open-approval">{a.process_name.clone()}</A>
                </td>
                {record}
                <td class="state" data-label=move || i.t(K::Status)>
                    <ApprovalBadge state=a.state />
                    {pending.then(|| view! { <span class="hint">{move || i.t_n(Ap::AtStep, step.into())}</span> })}
                </td>
                <td class="who" data-label=move || i.t(Ap::SubmittedBy)>{move || auth.user_name(submitter, i.t(K::Mine))}</td>
                <td class="at" data-label=move || i.t(Ap::SubmittedAt)>{move || format_datetime(&at, i.locale())}</td>
            </tr>
        }
    };
    view! {
        <div class="table-wrap">
            <table class="records approvals-table" id=id>
                <thead>
                    <tr>
                        <th>{move || i.t(Ap::Process)}</th>
                        {records.then(|| view! { <th>{move || i.t(Ap::Record)}</th> })}
                        <th>{move || i.t(K::Status)}</th>
                        <th>{move || i.t(Ap::SubmittedBy)}</th>
                        <th>{move || i.t(Ap::SubmittedAt)}</th>
                    </tr>
                </thead>
                <tbody>{approvals.into_iter().map(row).collect_view()}</tbody>
            </table>
        </div>
    }
}
