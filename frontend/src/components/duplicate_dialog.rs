//! The 409 of a create or rename: the existing records it may duplicate, each a link, and the
//! choice to go ahead anyway.

use crate::i18n::{use_i18n, K};
use domain::problem::DuplicateCandidate;
use leptos::prelude::*;
use leptos_router::components::A;

fn reason_label(reason: &str) -> K {
    match reason {
        "credit_code" => K::ReasonCreditCode,
        "name" => K::ReasonName,
        "phone" => K::ReasonPhone,
        "email" => K::ReasonEmail,
        _ => K::ReasonSimilarName,
    }
}

/// `record_href` gives the link of a candidate; `proceed_label` is "Create anyway" or "Save anyway".
#[component]
pub fn DuplicateDialog(
    candidates: Vec<DuplicateCandidate>,
    record_href: fn(uuid::Uuid) -> String,
    proceed_label: K,
    on_proceed: Callback<()>,
    on_cancel: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="dialog-backdrop">
            <div
                class="dialog duplicates"
                role="dialog"
                aria-modal="true"
                aria-labelledby="dup-title"
            >
                <h2 id="dup-title">{move || i.t(K::DuplicateTitle)}</h2>
                <p>{move || i.t(K::DuplicateText)}</p>
                <ul class="candidates">
                    {candidates
                        .into_iter()
                        .map(|c| {
                            let reasons = c.reasons.clone();
                            view! {
                                <li data-id=c.id.to_string()>
                                    <A href=record_href(c.id)>{c.name.clone()}</A>
                                    <span class="reasons">
                                        {move || {
                                            reasons
                                                .iter()
                                                .map(|r| i.t(reason_label(r)))
                                                .collect::<Vec<_>>()
                                                .join("、")
                                        }}
                                    </span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <div class="actions">
                    <button
                        type="button"
                        class="primary"
                        id="proceed-anyway"
                        on:click=move |_| on_proceed.run(())
                    >
                        {move || i.t(proceed_label)}
                    </button>
                    <button type="button" on:click=move |_| on_cancel.run(())>
                        {move || i.t(K::Cancel)}
                    </button>
                </div>
            </div>
        </div>
    }
}
