//! Creating and editing a lead: field errors on their fields, the duplicate dialog (409: an
//! existing lead, contact or account), `If-Match` and a reload on 412.

use super::status_label;
use crate::api::records::{changes, etag_of};
use crate::api::{self, ApiError};
use crate::components::{
    DuplicateDialog, ErrorNotice, Loading, OwnerSelect, PicklistSelect, RegionPicker,
};
use crate::custom::form::{CustomForm, CustomInputs};
use crate::custom::plural_of;
use crate::form::{opt_text, split_list, FormErrors, FormField, Submit, SubmitNotices};
use crate::i18n::{use_i18n, K};
use crate::routes;
use domain::lead::{Lead, LeadInput, LeadStatus};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use uuid::Uuid;

const SHOWN: &[&str] = &[
    "name",
    "company",
    "title",
    "phone",
    "email",
    "region",
    "address",
    "industry",
    "source",
    "description",
    "status",
    "disqualify_reason",
    "owner_id",
    "tags",
    "custom",
];

#[derive(Debug, Clone, Copy)]
struct Fields {
    name: RwSignal<String>,
    company: RwSignal<String>,
    title: RwSignal<String>,
    phone: RwSignal<String>,
    email: RwSignal<String>,
    region: RwSignal<String>,
    address: RwSignal<String>,
    industry: RwSignal<String>,
    source: RwSignal<String>,
    description: RwSignal<String>,
    status: RwSignal<String>,
    disqualify_reason: RwSignal<String>,
    owner: RwSignal<String>,
    tags: RwSignal<String>,
    custom: CustomForm,
}

impl Fields {
    fn new(creating: bool) -> Fields {
        let s = || RwSignal::new(String::new());
        Fields {
            name: s(),
            company: s(),
            title: s(),
            phone: s(),
            email: s(),
            region: s(),
            address: s(),
            industry: s(),
            source: s(),
            description: s(),
            status: RwSignal::new(LeadStatus::New.as_str().to_string()),
            disqualify_reason: s(),
            owner: s(),
            tags: s(),
            custom: CustomForm::new(plural_of(api::leads::PATH), creating),
        }
    }

    fn fill(&self, l: &Lead) {
        let o = |v: &Option<String>| v.clone().unwrap_or_default();
        self.name.set(l.name.clone());
        self.company.set(o(&l.company));
        self.title.set(o(&l.title));
        self.phone.set(o(&l.phone));
        self.email.set(o(&l.email));
        self.region.set(o(&l.region));
        self.address.set(o(&l.address));
        self.industry.set(o(&l.industry));
        self.source.set(o(&l.source));
        self.description.set(o(&l.description));
        self.status.set(l.status.as_str().to_string());
        self.disqualify_reason.set(o(&l.disqualify_reason));
        self.owner.set(l.owner_id.to_string());
        self.tags.set(l.tags.join(", "));
        self.custom.fill(&l.custom);
    }

    /// The request body; `None` when the form found errors itself (on their fields).
    fn input(&self, errors: FormErrors) -> Option<LeadInput> {
        let custom = self.custom.values(errors);
        if !errors.is_empty_untracked() {
            return None;
        }
        let t = |s: RwSignal<String>| opt_text(&s.get_untracked());
        let status = LeadStatus::parse(&self.status.get_untracked()).unwrap_or_default();
        Some(LeadInput {
            name: self.name.get_untracked().trim().to_string(),
            company: t(self.company),
            title: t(self.title),
            phone: t(self.phone),
            email: t(self.email),
            region: t(self.region),
            address: t(self.address),
            industry: t(self.industry),
            source: t(self.source),
            description: t(self.description),
            status,
            disqualify_reason: (status == LeadStatus::Disqualified)
                .then(|| t(self.disqualify_reason))
                .flatten(),
            owner_id: self.owner.get_untracked().parse().ok(),
            tags: split_list(&self.tags.get_untracked()),
            custom,
        })
    }
}

#[component]
pub fn LeadNewPage() -> impl IntoView {
    view! { <LeadForm id=None /> }
}

#[component]
pub fn LeadEditPage() -> impl IntoView {
    let params = use_params_map();
    move || match params.read().get("id").and_then(|s| s.parse::<Uuid>().ok()) {
        Some(id) => view! { <LeadForm id=Some(id) /> }.into_any(),
        None => view! { <crate::pages::NotFoundPage /> }.into_any(),
    }
}

#[component]
fn LeadForm(id: Option<Uuid>) -> impl IntoView {
    let i = use_i18n();
    let navigate = use_navigate();
    let fields = Fields::new(id.is_none());
    let submit = Submit::new();
    let original = RwSignal::new(None::<(Lead, String)>);
    let load_error = RwSignal::new(None::<ApiError>);
    let load = move || {
        let Some(id) = id else { return };
        load_error.set(None);
        spawn_local(async move {
            match api::leads::LEADS.get(id).await {
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
    let save = move |force: bool| {
        if !submit.begin() {
            return;
        }
        let Some(input) = fields.input(submit.errors) else {
            return submit.end();
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = match (id, original.get_untracked()) {
                (None, _) => api::leads::LEADS
                    .create(&input, force)
                    .await
                    .map(|r| r.body),
                (Some(_), None) => return submit.end(),
                (Some(id), Some((lead, etag))) => {
                    let patch = changes(&LeadInput::from_lead(&lead), &input);
                    if patch.as_object().is_some_and(|p| p.is_empty()) {
                        Ok(lead)
                    } else {
                        api::leads::LEADS
                            .update(id, &etag, &patch, force)
                            .await
                            .map(|r| r.body)
                    }
                }
            };
            match result {
                Ok(l) => {
                    submit.end();
                    navigate(&routes::lead_href(l.id), NavigateOptions::default())
                }
                Err(e) => submit.fail(e),
            }
        });
    };
    let save_on_submit = save.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        save_on_submit(false);
    };
    let cancel_href = id
        .map(routes::lead_href)
        .unwrap_or_else(|| routes::LEADS.to_string());
    let errors = submit.errors;
    let disqualified = move || fields.status.get() == LeadStatus::Disqualified.as_str();

    let form = move || {
        let save = save.clone();
        view! {
            <form class="record-form" id="lead-form" on:submit=on_submit.clone() novalidate>
                <SubmitNotices submit shown=SHOWN on_reload=Callback::new(move |_| load()) />
                <div class="grid">
                    <FormField label=K::Name field="name" errors>
                        <input id="f-name" type="text" required bind:value=fields.name />
                    </FormField>
                    <FormField label=K::Company field="company" errors>
                        <input id="f-company" type="text" bind:value=fields.company />
                    </FormField>
                    <FormField label=K::JobTitle field="title" errors>
                        <input id="f-title" type="text" bind:value=fields.title />
                    </FormField>
                    <FormField label=K::Phone field="phone" errors>
                        <input id="f-phone" type="tel" bind:value=fields.phone />
                    </FormField>
                    <FormField label=K::Email field="email" errors>
                        <input id="f-email" type="text" inputmode="email" bind:value=fields.email />
                    </FormField>
                    <FormField label=K::Status field="status" errors>
                        <select id="f-status" prop:value=move || fields.status.get() on:change=move |ev| fields.status.set(event_target_value(&ev))>
                            {LeadStatus::ALL.into_iter().filter(|s| *s != LeadStatus::Converted).map(|s| view! {
                                <option value=s.as_str() selected=move || fields.status.get() == s.as_str()>{move || status_label(s, i.locale())}</option>
                            }).collect_view()}
                        </select>
                    </FormField>
                    <Show when=disqualified>
                        <FormField label=K::DisqualifyReason field="disqualify_reason" errors>
                            <PicklistSelect id="f-disqualify_reason" list="disqualify_reason" value=fields.disqualify_reason blank=K::None />
                        </FormField>
                    </Show>
                    <FormField label=K::Industry field="industry" errors>
                        <PicklistSelect id="f-industry" list="industry" value=fields.industry blank=K::None />
                    </FormField>
                    <FormField label=K::Source field="source" errors>
                        <PicklistSelect id="f-source" list="source" value=fields.source blank=K::None />
                    </FormField>
                    <FormField label=K::Region field="region" errors hint=K::RegionHint>
                        <RegionPicker value=fields.region />
                    </FormField>
                    <FormField label=K::Address field="address" errors>
                        <input id="f-address" type="text" bind:value=fields.address />
                    </FormField>
                    <FormField label=K::Owner field="owner_id" errors>
                        <OwnerSelect id="f-owner_id" value=fields.owner blank_is_me=id.is_none() />
                    </FormField>
                    <FormField label=K::Tags field="tags" errors hint=K::TagsHint>
                        <input id="f-tags" type="text" bind:value=fields.tags />
                    </FormField>
                    <div class="wide">
                        <FormField label=K::Description field="description" errors>
                            <textarea id="f-description" rows="3" bind:value=fields.description></textarea>
                        </FormField>
                    </div>
                </div>
                <CustomInputs form=fields.custom errors />
                <div class="actions">
                    <button type="submit" class="primary" id="save" disabled=move || submit.busy.get()>
                        {move || i.t(if submit.busy.get() { K::Saving } else if id.is_some() { K::Save } else { K::Create })}
                    </button>
                    <A href=cancel_href.clone() attr:class="button">{move || i.t(K::Cancel)}</A>
                </div>
                {move || {
                    let save = save.clone();
                    submit.duplicates.get().map(|candidates| view! {
                        <DuplicateDialog
                            candidates
                            proceed_label=if id.is_some() { K::SaveAnyway } else { K::CreateAnyway }
                            on_proceed=Callback::new(move |_| save(true))
                            on_cancel=Callback::new(move |_| submit.duplicates.set(None))
                        />
                    })
                }}
            </form>
        }
    };
    view! {
        <section class="page lead-form-page">
            <h1>{move || i.t(if id.is_some() { K::EditLead } else { K::NewLead })}</h1>
            {move || match (id, load_error.get(), original.with(Option::is_some)) {
                (Some(_), Some(e), _) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
                (Some(_), None, false) => view! { <Loading /> }.into_any(),
                _ => form().into_any(),
            }}
        </section>
    }
}
