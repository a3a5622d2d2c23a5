//! The lead conversion dialog: a new or an existing account, a new or an existing contact, and
//! optionally a deal, converted in one request. Duplicates (409) can be linked instead, or
//! created anyway; field errors name their part (`account.name`, `opportunity.amount`).

use crate::api;
use crate::components::{DuplicateDialog, RecordPicker};
use crate::form::{opt_text, FieldErrors, Submit, SubmitNotices};
use crate::i18n::{use_i18n, K};
use domain::lead::{ConvertOpportunity, ConvertRequest, ConvertResult, Lead};
use domain::money::{Decimal, Money};
use domain::problem::DuplicateCandidate;
use leptos::prelude::*;
use leptos::task::spawn_local;

const SHOWN: &[&str] = &[
    "account_id",
    "account",
    "account_name",
    "contact_id",
    "contact",
    "opportunity",
];

#[component]
pub fn ConvertDialog(
    lead: Lead,
    on_done: Callback<ConvertResult>,
    on_cancel: Callback<()>,
    on_reload: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let submit = Submit::new();
    let errors = submit.errors;
    let account_existing = RwSignal::new(false);
    let account_name = RwSignal::new(lead.company.clone().unwrap_or_else(|| lead.name.clone()));
    let account_id = RwSignal::new(String::new());
    let contact_existing = RwSignal::new(false);
    let contact_id = RwSignal::new(String::new());
    let with_deal = RwSignal::new(true);
    let deal_name = RwSignal::new(format!(
        "{} {}",
        lead.company.clone().unwrap_or_else(|| lead.name.clone()),
        i.t(K::DealSuffix)
    ));
    let deal_amount = RwSignal::new(String::new());
    let deal_close = RwSignal::new(String::new());
    let contact_scope = Signal::derive(move || {
        let a = account_id.get();
        if account_existing.get() && !a.is_empty() {
            vec![("account_id".to_string(), a)]
        } else {
            Vec::new()
        }
    });

    let request = move || -> Option<ConvertRequest> {
        let opportunity = if with_deal.get_untracked() {
            let amount = match opt_text(&deal_amount.get_untracked()) {
                None => None,
                Some(s) => match s.replace([',', '，'], "").parse::<Decimal>() {
                    Ok(amount) => Some(Money {
                        amount,
                        currency: "CNY".into(),
                    }),
                    Err(_) => {
                        errors.push("opportunity.amount", "decimal", "not a number");
                        return None;
                    }
                },
            };
            Some(ConvertOpportunity {
                name: deal_name.get_untracked().trim().to_string(),
                amount,
                expected_close: deal_close.get_untracked().parse().ok(),
                pipeline_id: None,
                stage_id: None,
            })
        } else {
            None
        };
        let existing_account = account_existing.get_untracked();
        if existing_account && account_id.get_untracked().is_empty() {
            errors.push("account_id", "required", "required");
            return None;
        }
        if contact_existing.get_untracked() && contact_id.get_untracked().is_empty() {
            errors.push("contact_id", "required", "required");
            return None;
        }
        Some(ConvertRequest {
            account_id: existing_account
                .then(|| account_id.get_untracked().parse().ok())
                .flatten(),
            account_name: (!existing_account)
                .then(|| opt_text(&account_name.get_untracked()))
                .flatten(),
            contact_id: contact_existing
                .get_untracked()
                .then(|| contact_id.get_untracked().parse().ok())
                .flatten(),
            opportunity,
            owner_id: None,
        })
    };
    let lead_for_convert = lead.clone();
    let convert = move |force: bool| {
        if !submit.begin() {
            return;
        }
        let Some(req) = request() else {
            return submit.end();
        };
        let lead = lead_for_convert.clone();
        spawn_local(async move {
            match api::leads::convert(&lead, &req, force).await {
                Ok(r) => {
                    submit.end();
                    on_done.run(r.body)
                }
                Err(e) => submit.fail(e),
            }
        });
    };
    let link = Callback::new(move |c: DuplicateCandidate| {
        submit.duplicates.set(None);
        match c.entity.as_str() {
            "account" => {
                account_existing.set(true);
                account_id.set(c.id.to_string());
            }
            "contact" => {
                contact_existing.set(true);
                contact_id.set(c.id.to_string());
            }
            _ => {}
        }
    });
    let convert_on_submit = convert.clone();
    let convert_anyway = convert.clone();

    view! {
        <div class="dialog-backdrop">
            <form
                class="dialog convert-dialog"
                id="convert-dialog"
                role="dialog"
                aria-modal="true"
                novalidate
                on:submit=move |ev| { ev.prevent_default(); convert_on_submit(false); }
            >
                <h2>{move || i.t(K::ConvertLead)} ": " {lead.name.clone()}</h2>
                <SubmitNotices submit shown=SHOWN on_reload=on_reload />
                <fieldset>
                    <legend>{move || i.t(K::Account)}</legend>
                    <label><input type="radio" name="account-mode" id="account-new" prop:checked=move || !account_existing.get() on:change=move |_| account_existing.set(false) /> {move || i.t(K::CreateNew)}</label>
                    <label><input type="radio" name="account-mode" id="account-existing" prop:checked=move || account_existing.get() on:change=move |_| account_existing.set(true) /> {move || i.t(K::LinkExisting)}</label>
                    <Show
                        when=move || account_existing.get()
                        fallback=move || view! {
                            <div class="field" class:invalid=move || errors.has("account") || errors.has("account_name")>
                                <input id="convert-account-name" type="text" aria-label=move || i.t(K::Name) bind:value=account_name />
                                <FieldErrors errors field="account" />
                                <FieldErrors errors field="account_name" />
                            </div>
                        }
                    >
                        <div class="field" class:invalid=move || errors.has("account_id")>
                            <RecordPicker id="convert-account" api_path=api::accounts::PATH value=account_id />
                            <FieldErrors errors field="account_id" />
                        </div>
                    </Show>
                </fieldset>
                <fieldset>
                    <legend>{move || i.t(K::Contact)}</legend>
                    <label><input type="radio" name="contact-mode" id="contact-new" prop:checked=move || !contact_existing.get() on:change=move |_| contact_existing.set(false) /> {move || i.t(K::CreateFromLead)}</label>
                    <label><input type="radio" name="contact-mode" id="contact-existing" prop:checked=move || contact_existing.get() on:change=move |_| contact_existing.set(true) /> {move || i.t(K::LinkExisting)}</label>
                    <Show when=move || contact_existing.get()>
                        <div class="field" class:invalid=move || errors.has("contact_id")>
                            <RecordPicker id="convert-contact" api_path=api::contacts::PATH value=contact_id scope=contact_scope />
                            <FieldErrors errors field="contact_id" />
                        </div>
                    </Show>
                    <FieldErrors errors field="contact" />
                </fieldset>
                <fieldset>
                    <legend>
                        <label><input type="checkbox" id="convert-with-deal" bind:checked=with_deal /> {move || i.t(K::AlsoOpenDeal)}</label>
                    </legend>
                    <Show when=move || with_deal.get()>
                        <div class="field" class:invalid=move || errors.has("opportunity.name")>
                            <label for="convert-deal-name">{move || i.t(K::Name)}</label>
                            <input id="convert-deal-name" type="text" bind:value=deal_name />
                            <FieldErrors errors field="opportunity.name" />
                        </div>
                        <div class="field" class:invalid=move || errors.has("opportunity.amount")>
                            <label for="convert-deal-amount">{move || i.t(K::Amount)} " (CNY)"</label>
                            <input id="convert-deal-amount" type="text" inputmode="decimal" bind:value=deal_amount />
                            <FieldErrors errors field="opportunity.amount" />
                        </div>
                        <div class="field" class:invalid=move || errors.has("opportunity.expected_close")>
                            <label for="convert-deal-close">{move || i.t(K::ExpectedClose)}</label>
                            <input id="convert-deal-close" type="date" bind:value=deal_close />
                            <FieldErrors errors field="opportunity.expected_close" />
                        </div>
                    </Show>
                </fieldset>
                <div class="actions">
                    <button type="submit" class="primary" id="confirm-convert" disabled=move || submit.busy.get()>
                        {move || i.t(K::Convert)}
                    </button>
                    <button type="button" on:click=move |_| on_cancel.run(())>{move || i.t(K::Cancel)}</button>
                </div>
            </form>
            {move || {
                let convert_anyway = convert_anyway.clone();
                submit.duplicates.get().map(|candidates| view! {
                    <DuplicateDialog
                        candidates
                        proceed_label=K::CreateAnyway
                        on_proceed=Callback::new(move |_| convert_anyway(true))
                        on_cancel=Callback::new(move |_| submit.duplicates.set(None))
                        on_link=link
                    />
                })
            }}
        </div>
    }
}
