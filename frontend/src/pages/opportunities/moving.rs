//! Moving a deal to another stage (`POST /opportunities/{id}/move`), from the board and from the
//! record page alike: open stages move at once, won and lost ask for the reason first.

use crate::api::{self, ApiError};
use crate::components::PicklistSelect;
use crate::form::{FieldErrors, FormErrors};
use crate::i18n::{stage_label, use_i18n, K};
use domain::opportunity::Opportunity;
use domain::pipeline::{Stage, StageKind};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A move the user asked for: the deal, where to, and (for won/lost) the reason dialog's state.
#[derive(Debug, Clone)]
pub struct PendingMove {
    pub deal: Opportunity,
    pub stage: Stage,
}

/// The result of a move: the updated deal, or why not.
pub async fn perform(
    deal: &Opportunity,
    stage: &Stage,
    reason: Option<String>,
    lost_reason: Option<String>,
) -> Result<Opportunity, ApiError> {
    api::opportunities::move_to(deal, stage.id, reason, lost_reason)
        .await
        .map(|r| r.body)
}

/// Whether a move to `stage` needs a reason.
pub fn needs_reason(stage: &Stage) -> bool {
    stage.kind != StageKind::Open
}

/// Asks why a deal was won or lost, then moves it. `on_done` gets the moved deal; `on_error`
/// failures other than a missing/invalid reason (those show on the field).
#[component]
pub fn ReasonDialog(
    pending: PendingMove,
    on_done: Callback<Opportunity>,
    on_error: Callback<ApiError>,
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
                Err(e) if e.status() == Some(422) && !e.field_errors().is_empty() => {
                    errors.set(e.field_errors().to_vec())
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
