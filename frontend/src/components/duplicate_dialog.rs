//! The 409 of a create or rename: the existing records it may duplicate, each a link, and the
//! choice to go ahead anyway.

use crate::i18n::{use_i18n, K};
use domain::problem::DuplicateCandidate;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::routes;

/// What kind of record a candidate is.
fn entity_label(entity: &str) -> Option<K> {
    match entity {
        "account" => Some(K::Account),
        "contact" => Some(K::Contact),
        "lead" => Some(K::Lead),
        _ => None,
    }
}

fn reason_label(reason: &str) -> K {
    match reason {
        "credit_code" => K::ReasonCreditCode,
        "name" => K::ReasonName,
        "phone" => K::ReasonPhone,
        "email" => K::ReasonEmail,
        _ => K::ReasonSimilarName,
    }
}

/// Each candidate links to its record; `proceed_label` is "Create anyway" or "Save anyway";
/// `on_link`, when given, offers "use this one" per candidate (lead conversion links them).
#[component]
pub fn DuplicateDialog(
    candidates: Vec<DuplicateCandidate>,
    proceed_label: K,
    on_proceed: Callback<()>,
    on_cancel: Callback<()>,
    #[prop(optional, into)] on_link: Option<Callback<DuplicateCandidate>>,
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
                            let entity = c.entity.clone();
                            let chosen = c.clone();
                            let name = c.name.clone();
                            let link = match routes::entity_href(&c.entity, c.id) {
                                Some(href) => view! { <A href=href>{name}</A> }.into_any(),
                                None => view! { <span>{name}</span> }.into_any(),
                            };
                            view! {
                                <li data-id=c.id.to_string() data-entity=c.entity.clone()>
                                    <span class="entity">{move || entity_label(&entity).map(|k| i.t(k)).unwrap_or_default()}</span>
                                    {link}
                                    <span class="reasons">
                                        {move || {
                                            reasons
                                                .iter()
                                                .map(|r| i.t(reason_label(r)))
                                                .collect::<Vec<_>>()
                                                .join("、")
                                        }}
                                    </span>
                                    {on_link.map(|link| {
                                        let chosen = chosen.clone();
                                        view! {
                                            <button type="button" class="link use-candidate" on:click=move |_| link.run(chosen.clone())>
                                                {move || i.t(K::UseThisOne)}
                                            </button>
                                        }
                                    })}
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
