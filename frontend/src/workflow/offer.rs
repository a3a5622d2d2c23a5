//! A change the server refused because it needs approval (409 naming the process), offered for
//! submission as it was asked: with an optional comment, `POST /approvals`, and then the way to
//! the approval. The change itself is made by the approval once granted.

use crate::api::{self, ApiError};
use crate::components::ErrorNotice;
use crate::form::opt_text;
use crate::i18n::{use_i18n, Ap, K};
use crate::routes;
use domain::approval::{Approval, SubmitInput};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use serde_json::{Map, Value};
use uuid::Uuid;

/// The approval a refused change needs.
#[derive(Debug, Clone, PartialEq)]
pub struct ApprovalOffer {
    pub process_id: Uuid,
    pub process_name: String,
    pub record_id: Uuid,
    /// The change, as the write that was refused asked for it.
    pub proposed: Map<String, Value>,
}

impl ApprovalOffer {
    /// The offer for `e` when it is a refusal that needs approval.
    pub fn for_refusal(
        e: &ApiError,
        record_id: Uuid,
        proposed: Map<String, Value>,
    ) -> Option<ApprovalOffer> {
        let (process_id, process_name) = api::approvals::needed_process(e)?;
        Some(ApprovalOffer {
            process_id,
            process_name,
            record_id,
            proposed,
        })
    }
}

/// The offer (`#approval-offer`): why, a comment, submit (`#submit-approval`) or leave it
/// (`on_cancel`); once submitted, the link to the approval (`#approval-link`).
#[component]
pub fn SubmitApproval(offer: ApprovalOffer, on_cancel: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let comment = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let submitted = RwSignal::new(None::<Approval>);
    let name = offer.process_name.clone();
    let send = move |_| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let input = SubmitInput {
            process_id: offer.process_id,
            record_id: offer.record_id,
            proposed: offer.proposed.clone(),
            comment: opt_text(&comment.get_untracked()),
        };
        spawn_local(async move {
            let result = api::approvals::submit(&input).await;
            let _ = busy.try_set(false);
            match result {
                Ok(a) => {
                    let _ = submitted.try_set(Some(a));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    };
    move || {
        match submitted.get() {
        Some(a) => view! {
            <div class="notice info" id="approval-submitted">
                <p>{move || i.t(Ap::Submitted)}</p>
                <A href=routes::approval_href(a.id) attr:id="approval-link">{move || i.t(Ap::OpenApproval)}</A>
            </div>
        }
        .into_any(),
        None => {
            let name = name.clone();
            view! {
                <div class="notice warning approval-offer" id="approval-offer" role="alert">
                    <p>
                        <strong>{move || i.t(Ap::NeedsApproval).replace("{name}", &name)}</strong>
                    </p>
                    <p class="hint">{move || i.t(Ap::NeedsApprovalHint)}</p>
                    <div class="field">
                        <label for="approval-comment">{move || i.t(Ap::CommentOptional)}</label>
                        <textarea id="approval-comment" rows="2" maxlength="1000" bind:value=comment></textarea>
                    </div>
                    {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
                    <div class="actions">
                        <button type="button" class="primary" id="submit-approval" disabled=move || busy.get() on:click=send.clone()>
                            {move || i.t(Ap::SubmitForApproval)}
                        </button>
                        <button type="button" id="cancel-approval-offer" on:click=move |_| on_cancel.run(())>
                            {move || i.t(K::Cancel)}
                        </button>
                    </div>
                </div>
            }
            .into_any()
        }
    }
    }
}
