//! Creating and editing a contact: server validation errors on their fields (`phones[1]` on the
//! phones), the duplicate dialog (409: same phone or email), `If-Match` and a reload on 412.

use crate::api::records::{changes, etag_of};
use crate::api::{self, ApiError};
use crate::components::{DuplicateDialog, ErrorNotice, Loading, OwnerSelect, RecordPicker};
use crate::custom::form::{CustomForm, CustomInputs};
use crate::custom::plural_of;
use crate::form::{opt_text, split_list, FormErrors, FormField, Submit, SubmitNotices};
use crate::i18n::{use_i18n, K};
use crate::routes;
use domain::contact::{Contact, ContactInput};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use uuid::Uuid;

const SHOWN: &[&str] = &[
    "name",
    "title",
    "account_id",
    "phones",
    "emails",
    "wechat",
    "birthday",
    "owner_id",
    "tags",
    "custom",
];

#[derive(Debug, Clone, Copy)]
struct Fields {
    name: RwSignal<String>,
    title: RwSignal<String>,
    account: RwSignal<String>,
    phones: RwSignal<String>,
    emails: RwSignal<String>,
    wechat: RwSignal<String>,
    birthday: RwSignal<String>,
    owner: RwSignal<String>,
    tags: RwSignal<String>,
    custom: CustomForm,
}

impl Fields {
    fn new(creating: bool) -> Fields {
        let s = || RwSignal::new(String::new());
        Fields {
            name: s(),
            title: s(),
            account: s(),
            phones: s(),
            emails: s(),
            wechat: s(),
            birthday: s(),
            owner: s(),
            tags: s(),
            custom: CustomForm::new(plural_of(api::contacts::PATH), creating),
        }
    }

    fn fill(&self, c: &Contact) {
        self.name.set(c.name.clone());
        self.title.set(c.title.clone().unwrap_or_default());
        self.account
            .set(c.account_id.map(|a| a.to_string()).unwrap_or_default());
        self.phones.set(c.phones.join(", "));
        self.emails.set(c.emails.join(", "));
        self.wechat.set(c.wechat.clone().unwrap_or_default());
        self.birthday
            .set(c.birthday.map(|d| d.to_string()).unwrap_or_default());
        self.owner.set(c.owner_id.to_string());
        self.tags.set(c.tags.join(", "));
        self.custom.fill(&c.custom);
    }

    /// The request body; `None` when the form found errors itself (on their fields).
    fn input(&self, errors: FormErrors) -> Option<ContactInput> {
        let custom = self.custom.values(errors);
        if !errors.is_empty_untracked() {
            return None;
        }
        Some(ContactInput {
            name: self.name.get_untracked().trim().to_string(),
            title: opt_text(&self.title.get_untracked()),
            account_id: self.account.get_untracked().parse().ok(),
            phones: split_list(&self.phones.get_untracked()),
            emails: split_list(&self.emails.get_untracked()),
            wechat: opt_text(&self.wechat.get_untracked()),
            birthday: self.birthday.get_untracked().parse().ok(),
            owner_id: self.owner.get_untracked().parse().ok(),
            tags: split_list(&self.tags.get_untracked()),
            custom,
        })
    }
}

#[component]
pub fn ContactNewPage() -> impl IntoView {
    view! { <ContactForm id=None /> }
}

#[component]
pub fn ContactEditPage() -> impl IntoView {
    let params = use_params_map();
    move || match params.read().get("id").and_then(|s| s.parse::<Uuid>().ok()) {
        Some(id) => view! { <ContactForm id=Some(id) /> }.into_any(),
        None => view! { <crate::pages::NotFoundPage /> }.into_any(),
    }
}

#[component]
fn ContactForm(id: Option<Uuid>) -> impl IntoView {
    let i = use_i18n();
    let navigate = use_navigate();
    let query = use_query_map();
    let fields = Fields::new(id.is_none());
    let submit = Submit::new();
    let original = RwSignal::new(None::<(Contact, String)>);
    let load_error = RwSignal::new(None::<ApiError>);
    if id.is_none() {
        // "New contact" from an account's page comes with the account.
        if let Some(a) = query.read_untracked().get("account_id") {
            fields.account.set(a);
        }
    }
    let load = move || {
        let Some(id) = id else { return };
        load_error.set(None);
        spawn_local(async move {
            match api::contacts::CONTACTS.get(id).await {
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
                (None, _) => api::contacts::CONTACTS
                    .create(&input, force)
                    .await
                    .map(|r| r.body),
                (Some(_), None) => return submit.end(),
                (Some(id), Some((contact, etag))) => {
                    let patch = changes(&ContactInput::from_contact(&contact), &input);
                    if patch.as_object().is_some_and(|p| p.is_empty()) {
                        Ok(contact)
                    } else {
                        api::contacts::CONTACTS
                            .update(id, &etag, &patch, force)
                            .await
                            .map(|r| r.body)
                    }
                }
            };
            match result {
                Ok(c) => {
                    submit.end();
                    navigate(&routes::contact_href(c.id), NavigateOptions::default())
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
        .map(routes::contact_href)
        .unwrap_or_else(|| routes::CONTACTS.to_string());
    let errors = submit.errors;

    let form = move || {
        let save = save.clone();
        view! {
            <form class="record-form" id="contact-form" on:submit=on_submit.clone() novalidate>
                <SubmitNotices submit shown=SHOWN on_reload=Callback::new(move |_| load()) />
                <div class="grid">
                    <FormField label=K::Name field="name" errors>
                        <input id="f-name" type="text" required bind:value=fields.name />
                    </FormField>
                    <FormField label=K::JobTitle field="title" errors>
                        <input id="f-title" type="text" bind:value=fields.title />
                    </FormField>
                    <FormField label=K::Account field="account_id" errors>
                        <RecordPicker id="f-account_id" api_path=api::accounts::PATH value=fields.account />
                    </FormField>
                    <FormField label=K::Phones field="phones" errors hint=K::ListHint>
                        <input id="f-phones" type="tel" bind:value=fields.phones />
                    </FormField>
                    <FormField label=K::Emails field="emails" errors hint=K::ListHint>
                        <input id="f-emails" type="text" inputmode="email" bind:value=fields.emails />
                    </FormField>
                    <FormField label=K::Wechat field="wechat" errors>
                        <input id="f-wechat" type="text" bind:value=fields.wechat />
                    </FormField>
                    <FormField label=K::Birthday field="birthday" errors>
                        <input id="f-birthday" type="date" bind:value=fields.birthday />
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
        <section class="page contact-form-page">
            <h1>{move || i.t(if id.is_some() { K::EditContact } else { K::NewContact })}</h1>
            {move || match (id, load_error.get(), original.with(Option::is_some)) {
                (Some(_), Some(e), _) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
                (Some(_), None, false) => view! { <Loading /> }.into_any(),
                _ => form().into_any(),
            }}
        </section>
    }
}
