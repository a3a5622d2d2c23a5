//! What the caller may do with an open approval: an approver whose decision the current step
//! waits for approves, rejects, sends it back (退回), gives their task to someone (转交) or adds
//! a signer to the step (加签), each with the comment typed; anyone taking part comments; the
//! submitter withdraws it. The server decides who may: a refusal (403, 409) shows its reason.

use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, OwnerSelect};
use crate::form::opt_text;
use crate::i18n::{use_i18n, Ap};
use crate::session::use_auth;
use domain::approval::{Approval, DecideInput, Decision};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

#[component]
pub fn DecisionPanel(approval: Approval, on_decided: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let id = approval.id;
    let comment = RwSignal::new(String::new());
    let delegate_to = RwSignal::new(String::new());
    let signer = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let step = approval.step;
    let tasks = StoredValue::new(approval.tasks.clone());
    let deciding = move || {
        auth.my_id().is_some_and(|me| {
            tasks.with_value(|all| {
                all.iter()
                    .any(|t| t.approver_id == me && t.step == step && t.state == "pending")
            })
        })
    };
    let submitted_by = approval.submitted_by;
    let submitter = move || auth.my_id() == Some(submitted_by);
    let decide = move |decision: Decision, user: Option<RwSignal<String>>| {
        if busy.get_untracked() {
            return;
        }
        let user_id = user.and_then(|u| u.get_untracked().parse::<Uuid>().ok());
        if user.is_some() && user_id.is_none() {
            return;
        }
        busy.set(true);
        error.set(None);
        let input = DecideInput {
            decision,
            user_id,
            comment: opt_text(&comment.get_untracked()),
        };
        spawn_local(async move {
            let result = api::approvals::decide(id, &input).await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => on_decided.run(()),
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    let button = move |id: &'static str, class: &'static str, label: Ap, d: Decision| {
        view! {
            <button type="button" id=id class=class disabled=move || busy.get() on:click=move |_| decide(d, None)>
                {move || i.t(label)}
            </button>
        }
    };
    let picking = move |id: &'static str, value: RwSignal<String>, label: Ap, d: Decision| {
        view! {
            <span class="decide-to">
                <OwnerSelect id=format!("{id}-to") value blank_is_me=false blank=Ap::ChoosePerson.into() />
                <button
                    type="button"
                    id=id
                    disabled=move || busy.get() || value.with(String::is_empty)
                    on:click=move |_| decide(d, Some(value))
                >
                    {move || i.t(label)}
                </button>
            </span>
        }
    };
    view! {
        <section class="panel decision-panel" id="decision-panel">
            <h2>{move || i.t(if deciding() { Ap::YourDecision } else { Ap::TakePart })}</h2>
            <div class="field wide">
                <label for="decision-comment">{move || i.t(Ap::Comment)}</label>
                <textarea id="decision-comment" rows="3" maxlength="1000" bind:value=comment></textarea>
            </div>
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
            <div class="actions decide-actions">
                <Show when=deciding>
                    {button("approve", "primary", Ap::Approve, Decision::Approve)}
                    {button("reject", "danger", Ap::Reject, Decision::Reject)}
                    {button("return", "", Ap::Return, Decision::Return)}
                </Show>
                {button("comment", "", Ap::CommentOnly, Decision::Comment)}
                <Show when=submitter>
                    {button("cancel-approval", "danger", Ap::Withdraw, Decision::Cancel)}
                </Show>
            </div>
            <Show when=deciding>
                <div class="actions decide-people">
                    {picking("delegate", delegate_to, Ap::Delegate, Decision::Delegate)}
                    {picking("add-signer", signer, Ap::AddSigner, Decision::AddSigner)}
                </div>
                <p class="hint">{move || i.t(Ap::DelegateHint)}</p>
            </Show>
        </section>
    }
}
