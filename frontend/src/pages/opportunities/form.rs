//! Creating and editing an opportunity: field errors from the server on their fields, `If-Match`
//! and a reload on 412. Stages change on the board or the record page (a move), not here.

use crate::api::records::{changes, etag_of};
use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, Loading, OwnerSelect, PicklistSelect, RecordPicker};
use crate::custom::form::{CustomForm, CustomInputs};
use crate::custom::plural_of;
use crate::form::{opt_text, split_list, FormErrors, FormField, Submit, SubmitNotices};
use crate::i18n::{stage_label, use_i18n, K};
use crate::routes;
use crate::session::use_auth;
use domain::money::{Decimal, Money};
use domain::opportunity::{Opportunity, OpportunityInput};
use domain::pipeline::StageKind;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use uuid::Uuid;

const SHOWN: &[&str] = &[
    "name",
    "account_id",
    "contact_id",
    "amount",
    "expected_close",
    "stage_id",
    "probability",
    "source",
    "competitors",
    "owner_id",
    "tags",
    "custom",
];

#[derive(Debug, Clone, Copy)]
struct Fields {
    name: RwSignal<String>,
    account: RwSignal<String>,
    contact: RwSignal<String>,
    amount: RwSignal<String>,
    currency: RwSignal<String>,
    expected_close: RwSignal<String>,
    stage: RwSignal<String>,
    probability: RwSignal<String>,
    source: RwSignal<String>,
    competitors: RwSignal<String>,
    owner: RwSignal<String>,
    tags: RwSignal<String>,
    custom: CustomForm,
}

impl Fields {
    fn new(creating: bool) -> Fields {
        let s = || RwSignal::new(String::new());
        Fields {
            name: s(),
            account: s(),
            contact: s(),
            amount: s(),
            currency: RwSignal::new("CNY".into()),
            expected_close: s(),
            stage: s(),
            probability: s(),
            source: s(),
            competitors: s(),
            owner: s(),
            tags: s(),
            custom: CustomForm::new(plural_of(api::opportunities::PATH), creating),
        }
    }

    fn fill(&self, o: &Opportunity) {
        self.name.set(o.name.clone());
        self.account.set(o.account_id.to_string());
        self.contact
            .set(o.contact_id.map(|c| c.to_string()).unwrap_or_default());
        self.amount.set(
            o.amount
                .as_ref()
                .map(|m| m.amount.to_string())
                .unwrap_or_default(),
        );
        self.currency.set(
            o.amount
                .as_ref()
                .map(|m| m.currency.clone())
                .unwrap_or_else(|| "CNY".into()),
        );
        self.expected_close
            .set(o.expected_close.map(|d| d.to_string()).unwrap_or_default());
        self.stage.set(o.stage_id.to_string());
        self.probability.set(if o.probability_overridden {
            o.probability.to_string()
        } else {
            String::new()
        });
        self.source.set(o.source.clone().unwrap_or_default());
        self.competitors.set(o.competitors.join(", "));
        self.owner.set(o.owner_id.to_string());
        self.tags.set(o.tags.join(", "));
        self.custom.fill(&o.custom);
    }

    /// The request body; what the app can tell is wrong (no account, numbers) on the fields.
    fn input(&self, errors: FormErrors) -> Option<OpportunityInput> {
        let account_id = match self.account.get_untracked().parse::<Uuid>() {
            Ok(a) => Some(a),
            Err(_) => {
                errors.push("account_id", "required", "required");
                None
            }
        };
        let amount = match opt_text(&self.amount.get_untracked()) {
            None => None,
            Some(s) => match s.replace([',', '，'], "").parse::<Decimal>() {
                Ok(amount) => Some(Money {
                    amount,
                    currency: self.currency.get_untracked().trim().to_uppercase(),
                }),
                Err(_) => {
                    errors.push("amount", "decimal", "not a number");
                    None
                }
            },
        };
        let probability = match opt_text(&self.probability.get_untracked()) {
            None => None,
            Some(s) => match s.trim_end_matches('%').parse::<i32>() {
                Ok(p) => Some(p),
                Err(_) => {
                    errors.push("probability", "integer", "not a whole number");
                    None
                }
            },
        };
        let custom = self.custom.values(errors);
        if !errors.is_empty_untracked() {
            return None;
        }
        Some(OpportunityInput {
            name: self.name.get_untracked().trim().to_string(),
            account_id: account_id?,
            contact_id: self.contact.get_untracked().parse().ok(),
            amount,
            expected_close: self.expected_close.get_untracked().parse().ok(),
            pipeline_id: None,
            stage_id: self.stage.get_untracked().parse().ok(),
            probability,
            source: opt_text(&self.source.get_untracked()),
            campaign_id: None,
            competitors: split_list(&self.competitors.get_untracked()),
            owner_id: self.owner.get_untracked().parse().ok(),
            tags: split_list(&self.tags.get_untracked()),
            custom,
        })
    }
}

#[component]
pub fn OpportunityNewPage() -> impl IntoView {
    view! { <OpportunityForm id=None /> }
}

#[component]
pub fn OpportunityEditPage() -> impl IntoView {
    let params = use_params_map();
    move || match params.read().get("id").and_then(|s| s.parse::<Uuid>().ok()) {
        Some(id) => view! { <OpportunityForm id=Some(id) /> }.into_any(),
        None => view! { <crate::pages::NotFoundPage /> }.into_any(),
    }
}

#[component]
fn OpportunityForm(id: Option<Uuid>) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let query = use_query_map();
    let fields = Fields::new(id.is_none());
    let submit = Submit::new();
    let original = RwSignal::new(None::<(Opportunity, String)>);
    let load_error = RwSignal::new(None::<ApiError>);
    if id.is_none() {
        if let Some(a) = query.read_untracked().get("account_id") {
            fields.account.set(a);
        }
    }
    let load = move || {
        let Some(id) = id else { return };
        load_error.set(None);
        spawn_local(async move {
            match api::opportunities::OPPORTUNITIES.get(id).await {
                Ok(reply) => {
                    fields.fill(&reply.body);
                    let etag = reply.etag.unwrap_or_else(|| etag_of(&reply.body));
                    original.set(Some((reply.body, etag)));
                    submit.reset();
                }
                Err(e) => load_error.set(Some(e)),
            }
        });
    };
    load();

    let save = move || {
        if !submit.begin() {
            return;
        }
        let Some(mut input) = fields.input(submit.errors) else {
            return submit.end();
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = match (id, original.get_untracked()) {
                (None, _) => api::opportunities::OPPORTUNITIES
                    .create(&input, false)
                    .await
                    .map(|r| r.body),
                (Some(_), None) => return submit.end(),
                (Some(id), Some((deal, etag))) => {
                    // Stage and pipeline are not editable here (a PATCH does not take them).
                    let before = OpportunityInput::from_opportunity(&deal);
                    input.stage_id = before.stage_id;
                    input.pipeline_id = before.pipeline_id;
                    let patch = changes(&before, &input);
                    if patch.as_object().is_some_and(|p| p.is_empty()) {
                        Ok(deal)
                    } else {
                        api::opportunities::OPPORTUNITIES
                            .update(id, &etag, &patch, false)
                            .await
                            .map(|r| r.body)
                    }
                }
            };
            match result {
                Ok(o) => {
                    submit.end();
                    navigate(&routes::opportunity_href(o.id), NavigateOptions::default())
                }
                Err(e) => submit.fail(e),
            }
        });
    };
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        save();
    };
    // New deals start in an open stage of the default pipeline (its first unless chosen).
    let open_stages = move || {
        auth.pipelines
            .get()
            .unwrap_or_default()
            .into_iter()
            .next()
            .map(|p| p.stages)
            .unwrap_or_default()
            .into_iter()
            .filter(|s| s.kind == StageKind::Open)
            .collect::<Vec<_>>()
    };
    let contact_scope = Signal::derive(move || {
        let a = fields.account.get();
        if a.is_empty() {
            Vec::new()
        } else {
            vec![("account_id".to_string(), a)]
        }
    });
    let cancel_href = id
        .map(routes::opportunity_href)
        .unwrap_or_else(|| routes::OPPORTUNITIES.to_string());
    let errors = submit.errors;

    let form = move || {
        view! {
            <form class="record-form" id="opportunity-form" on:submit=on_submit.clone() novalidate>
                <SubmitNotices submit shown=SHOWN on_reload=Callback::new(move |_| load()) />
                <div class="grid">
                    <FormField label=K::Name field="name" errors>
                        <input id="f-name" type="text" required bind:value=fields.name />
                    </FormField>
                    <FormField label=K::Account field="account_id" errors>
                        <RecordPicker id="f-account_id" api_path=api::accounts::PATH value=fields.account />
                    </FormField>
                    <FormField label=K::Contact field="contact_id" errors>
                        <RecordPicker id="f-contact_id" api_path=api::contacts::PATH value=fields.contact scope=contact_scope />
                    </FormField>
                    <FormField label=K::Amount field="amount" errors>
                        <div class="money-input">
                            <input id="f-amount" type="text" inputmode="decimal" bind:value=fields.amount />
                            <input id="f-currency" type="text" maxlength="3" aria-label=move || i.t(K::Currency) bind:value=fields.currency />
                        </div>
                    </FormField>
                    <FormField label=K::ExpectedClose field="expected_close" errors>
                        <input id="f-expected_close" type="date" bind:value=fields.expected_close />
                    </FormField>
                    <Show when=move || id.is_none()>
                        <FormField label=K::Stage field="stage_id" errors>
                            <select id="f-stage_id" prop:value=move || fields.stage.get() on:change=move |ev| fields.stage.set(event_target_value(&ev))>
                                <option value="">{move || i.t(K::FirstStage)}</option>
                                {move || open_stages().into_iter().map(|s| {
                                    let sid = s.id.to_string();
                                    let sel = sid.clone();
                                    view! { <option value=sid selected=move || fields.stage.get() == sel>{stage_label(&s.name, i.locale())}</option> }
                                }).collect_view()}
                            </select>
                        </FormField>
                    </Show>
                    <FormField label=K::Probability field="probability" errors hint=K::ProbabilityHint>
                        <input id="f-probability" type="text" inputmode="numeric" bind:value=fields.probability />
                    </FormField>
                    <FormField label=K::Source field="source" errors>
                        <PicklistSelect id="f-source" list="source" value=fields.source blank=K::None />
                    </FormField>
                    <FormField label=K::Competitors field="competitors" errors hint=K::ListHint>
                        <input id="f-competitors" type="text" bind:value=fields.competitors />
                    </FormField>
                    <FormField label=K::Owner field="owner_id" errors>
                        <OwnerSelect id="f-owner_id" value=fields.owner blank_is_me=id.is_none() />
                    </FormField>
                    <FormField label=K::Tags field="tags" errors hint=K::TagsHint>
                        <input id="f-tags" type="text" bind:value=fields.tags />
                    </FormField>
                </div>
                <CustomInputs form=fields.custom errors />
                <div class="actions">
                    <button type="submit" class="primary" id="save" disabled=move || submit.busy.get()>
                        {move || i.t(if submit.busy.get() { K::Saving } else if id.is_some() { K::Save } else { K::Create })}
                    </button>
                    <A href=cancel_href.clone() attr:class="button">{move || i.t(K::Cancel)}</A>
                </div>
            </form>
        }
    };

    view! {
        <section class="page opportunity-form-page">
            <h1>{move || i.t(if id.is_some() { K::EditOpportunity } else { K::NewOpportunity })}</h1>
            {move || match (id, load_error.get(), original.with(Option::is_some)) {
                (Some(_), Some(e), _) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
                (Some(_), None, false) => view! { <Loading /> }.into_any(),
                _ => form().into_any(),
            }}
        </section>
    }
}
