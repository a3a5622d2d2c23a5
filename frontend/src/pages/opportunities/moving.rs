//! Moving a deal to another stage (`POST /opportunities/{id}/move`), from the board and from the
//! record page alike: open stages move at once, won and lost ask for the reason first; a move
//! an approval process guards (409) is offered for approval as it was asked.

use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, PicklistSelect};
use crate::form::{FieldErrors, FormErrors};
use crate::i18n::{stage_label, use_i18n, K};
use crate::workflow::offer::{ApprovalOffer, SubmitApproval};
use domain::opportunity::{MoveRequest, Opportunity};
use domain::pipeline::{Stage, StageKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::{Map, Value};

/// A move the user asked for: the deal, where to, and (for won/lost) the reason dialog's state.
#[derive(Debug, Clone)]
pub struct PendingMove {
    pub deal: Opportunity,
    pub stage: Stage,
}

/// Why a move did not happen: the server's answer, and when the move needs approval, the
/// approval that would make it (the move as it was asked).
#[derive(Debug, Clone)]
pub struct Refused {
    pub error: ApiError,
    pub approval: Option<ApprovalOffer>,
}

/// The result of a move: the updated deal, or why not.
pub async fn perform(
    deal: &Opportunity,
    stage: &Stage,
    reason: Option<String>,
    lost_reason: Option<String>,
) -> Result<Opportunity, Refused> {
    let asked = MoveRequest {
        stage_id: stage.id,
        reason: reason.clone(),
        lost_reason: lost_reason.clone(),
    };
    match api::opportunities::move_to(deal, stage.id, reason, lost_reason).await {
        Ok(r) => Ok(r.body),
        Err(error) => {
            let proposed = match serde_json::to_value(&asked) {
                Ok(Value::Object(mut m)) => {
                    m.retain(|_, v| !v.is_null());
                    m
                }
                _ => Map::new(),
            };
            let approval = ApprovalOffer::for_refusal(&error, deal.id, proposed);
            Err(Refused { error, approval })
        }
    }
}

/// A refused move: the offer to submit it for approval when it needs one, else the server's
/// reason, with a reload (`#{reload_id}`) when the deal changed meanwhile (412).
#[component]
pub fn RefusedMove(
    refused: Refused,
    reload_id: &'static str,
    on_reload: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    match refused.approval {
        Some(offer) => view! { <SubmitApproval offer on_cancel=on_reload /> }.into_any(),
        None => {
            let stale = refused.error.status() == Some(412);
            view! {
                <ErrorNotice error=refused.error />
                {stale.then(|| view! {
                    <button type="button" id=reload_id on:click=move |_| on_reload.run(())>{move || i.t(K::Reload)}</button>
                })}
            }
            .into_any()
        }
    }
}

/// Whether a move to `stage` needs a reason.
pub fn needs_reason(stage: &Stage) -> bool {
    stage.kind != StageKind::Open
}

/// Asks why a deal was won or lost, then moves it. `on_done` gets the moved deal; `on_error`
/// refusals other than a missing/invalid reason (those show on the field).
#[component]
pub fn ReasonDialog(
    pending: PendingMove,
    on_done: Callback<Opportunity>,
    on_error: Callback<Refused>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let reason = RwSignal::new(String::new());
    let lost_reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let errors = FormErrors::new();
    let won = pending.stage.kind == StageKind::Won;
    let stage_name = pending.stage.name.clone();
    let deal_name = pending.deal.name.clone();
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let text = reason.get_untracked().trim().to_string();
        errors.clear();
        if text.is_empty() {
            errors.push("reason", "required", "required");
            return;
        }
        busy.set(true);
        let pending = pending.clone();
        spawn_local(async move {
            let lost = (!won)
                .then(|| lost_reason.get_untracked())
                .filter(|k| !k.is_empty());
            let result = perform(&pending.deal, &pending.stage, Some(text), lost).await;
            busy.set(false);
            match result {
                Ok(deal) => on_done.run(deal),
                Err(r) if r.error.status() == Some(422) && !r.error.field_errors().is_empty() => {
                    errors.set(r.error.field_errors().to_vec())
                }
                Err(e) => on_error.run(e),
            }
        });
    };
    view! {
        <div class="dialog-backdrop">
            <form class="dialog" id="reason-dialog" role="dialog" aria-modal="true" on:submit=confirm>
                <h2>{move || i.t(if won { K::WonTitle } else { K::LostTitle })}</h2>
                <p>
                    <strong>{deal_name.clone()}</strong>
                    " → "
                    {move || stage_label(&stage_name, i.locale())}
                </p>
                <Show when=move || !won>
                    <div class="field" class:invalid=move || errors.has("lost_reason")>
                        <label for="move-lost-reason">{move || i.t(K::LostCategory)}</label>
                        <PicklistSelect id="move-lost-reason" list="lost_reason" value=lost_reason blank=K::None />
                        <FieldErrors errors field="lost_reason" />
                    </div>
                </Show>
                <div class="field" class:invalid=move || errors.has("reason")>
                    <label for="move-reason">{move || i.t(if won { K::WonReason } else { K::LostReason })}</label>
                    <textarea id="move-reason" rows="3" maxlength="500" bind:value=reason></textarea>
                    <FieldErrors errors field="reason" />
                </div>
                <div class="actions">
                    <button type="submit" class="primary" id="confirm-move" disabled=move || busy.get()>
                        {move || i.t(K::Confirm)}
                    </button>
                    <button type="button" on:click=move |_| on_cancel.run(())>{move || i.t(K::Cancel)}</button>
                </div>
            </form>
        </div>
    }
}
