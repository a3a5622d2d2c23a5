//! Creating and editing an account: server validation errors on their fields, the duplicate
//! dialog (409) with "create anyway", `If-Match` on save and a reload offer on 412.

use crate::api::{self, ApiError};
use crate::components::{DuplicateDialog, ErrorNotice, Loading, PicklistSelect};
use crate::form::{FormErrorSummary, FormErrors, FormField};
use crate::i18n::{class_label, use_i18n, K};
use crate::routes;
use crate::session::use_auth;
use domain::account::{Account, AccountClass, AccountInput, INDUSTRIES, SOURCES};
use domain::money::{Decimal, Money};
use domain::problem::DuplicateCandidate;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use uuid::Uuid;

/// The fields the form shows (errors of others go to the summary).
const SHOWN: &[&str] = &[
    "name",
    "credit_code",
    "industry",
    "employees",
    "annual_revenue",
    "region",
    "address",
    "website",
    "phone",
    "source",
    "class",
    "owner_id",
    "tags",
];

/// What the inputs hold, as typed.
#[derive(Debug, Clone, Copy)]
struct Fields {
    name: RwSignal<String>,
    credit_code: RwSignal<String>,
    industry: RwSignal<String>,
    employees: RwSignal<String>,
    amount: RwSignal<String>,
    currency: RwSignal<String>,
    region: RwSignal<String>,
    address: RwSignal<String>,
    website: RwSignal<String>,
    phone: RwSignal<String>,
    source: RwSignal<String>,
    class: RwSignal<String>,
    owner: RwSignal<String>,
    tags: RwSignal<String>,
}

fn text(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_string())
}

impl Fields {
    fn new() -> Fields {
        let s = || RwSignal::new(String::new());
        Fields {
            name: s(),
            credit_code: s(),
            industry: s(),
            employees: s(),
            amount: s(),
            currency: RwSignal::new("CNY".to_string()),
            region: s(),
            address: s(),
            website: s(),
            phone: s(),
            source: s(),
            class: RwSignal::new(AccountClass::default().as_str().to_string()),
            owner: s(),
            tags: s(),
        }
    }

    fn fill(&self, a: &Account) {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        self.name.set(a.name.clone());
        self.credit_code.set(opt(&a.credit_code));
        self.industry.set(opt(&a.industry));
        self.employees
            .set(a.employees.map(|n| n.to_string()).unwrap_or_default());
        self.amount.set(
            a.annual_revenue
                .as_ref()
                .map(|m| m.amount.to_string())
                .unwrap_or_default(),
        );
        self.currency.set(
            a.annual_revenue
                .as_ref()
                .map(|m| m.currency.clone())
                .unwrap_or_else(|| "CNY".to_string()),
        );
        self.region.set(opt(&a.region));
        self.address.set(opt(&a.address));
        self.website.set(opt(&a.website));
        self.phone.set(opt(&a.phone));
        self.source.set(opt(&a.source));
        self.class.set(a.class.as_str().to_string());
        self.owner.set(a.owner_id.to_string());
        self.tags.set(a.tags.join(", "));
    }

    /// The request body; numbers that do not parse are reported on their fields instead.
    fn input(&self, errors: FormErrors) -> Option<AccountInput> {
        let employees = match text(&self.employees.get_untracked()) {
            None => None,
            Some(s) => match s.parse::<i32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.push("employees", "integer", "not a whole number");
                    None
                }
            },
        };
        let annual_revenue = match text(&self.amount.get_untracked()) {
            None => None,
            Some(s) => match s.replace([',', '，'], "").parse::<Decimal>() {
                Ok(amount) => Some(Money {
                    amount,
                    currency: self.currency.get_untracked().trim().to_uppercase(),
                }),
                Err(_) => {
                    errors.push("annual_revenue.amount", "decimal", "not a number");
                    None
                }
            },
        };
        if !errors.is_empty_untracked() {
            return None;
        }
        Some(AccountInput {
            name: self.name.get_untracked().trim().to_string(),
            credit_code: text(&self.credit_code.get_untracked()),
            industry: text(&self.industry.get_untracked()),
            employees,
            annual_revenue,
            region: text(&self.region.get_untracked()),
            address: text(&self.address.get_untracked()),
            website: text(&self.website.get_untracked()),
            phone: text(&self.phone.get_untracked()),
            source: text(&self.source.get_untracked()),
            class: AccountClass::parse(&self.class.get_untracked()).unwrap_or_default(),
            owner_id: self.owner.get_untracked().parse().ok(),
            tags: self
                .tags
                .get_untracked()
                .split([',', '，', '、'])
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
        })
    }
}

#[component]
pub fn AccountNewPage() -> impl IntoView {
    view! { <AccountForm id=None /> }
}

#[component]
pub fn AccountEditPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let id = params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
        match id {
            Some(id) => view! { <AccountForm id=Some(id) /> }.into_any(),
            None => view! { <crate::pages::NotFoundPage /> }.into_any(),
        }
    }
}

#[component]
fn AccountForm(id: Option<Uuid>) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let fields = Fields::new();
    let errors = FormErrors::new();
    // The version read (edit): the account and the ETag to send as If-Match.
    let original = RwSignal::new(None::<(Account, String)>);
    let load_error = RwSignal::new(None::<ApiError>);
    let save_error = RwSignal::new(None::<ApiError>);
    let stale = RwSignal::new(false);
    let duplicates = RwSignal::new(None::<Vec<DuplicateCandidate>>);
    let busy = RwSignal::new(false);

    let load = move || {
        let Some(id) = id else { return };
        load_error.set(None);
        spawn_local(async move {
            match api::accounts::ACCOUNTS.get(id).await {
                Ok(reply) => {
                    fields.fill(&reply.body);
                    let etag = reply
                        .etag
                        .unwrap_or_else(|| api::records::etag_of(&reply.body));
                    original.set(Some((reply.body, etag)));
                    stale.set(false);
                    errors.clear();
                    save_error.set(None);
                }
                Err(e) => load_error.set(Some(e)),
            }
        });
    };
    load();

    let save = move |force: bool| {
        if busy.get_untracked() {
            return;
        }
        errors.clear();
        save_error.set(None);
        duplicates.set(None);
        let Some(input) = fields.input(errors) else {
            return;
        };
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            let result = match id {
                None => api::accounts::ACCOUNTS
                    .create(&input, force)
                    .await
                    .map(|r| r.body),
                Some(id) => match original.get_untracked() {
                    None => return busy.set(false),
                    Some((account, etag)) => {
                        let patch =
                            api::records::changes(&AccountInput::from_account(&account), &input);
                        if patch.as_object().is_some_and(|p| p.is_empty()) {
                            Ok(account)
                        } else {
                            api::accounts::ACCOUNTS
                                .update(id, &etag, &patch, force)
                                .await
                                .map(|r| r.body)
                        }
                    }
                },
            };
            busy.set(false);
            match result {
                Ok(account) => navigate(
                    &routes::account_href(account.id),
                    NavigateOptions::default(),
                ),
                Err(e) => match e.status() {
                    Some(422) if !e.field_errors().is_empty() => {
                        errors.set(e.field_errors().to_vec())
                    }
                    Some(409) if !e.candidates().is_empty() => {
                        duplicates.set(Some(e.candidates().to_vec()))
                    }
                    Some(412) => stale.set(true),
                    _ => save_error.set(Some(e)),
                },
            }
        });
    };
    let save_on_submit = save.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        save_on_submit(false);
    };

    let title = move || {
        i.t(if id.is_some() {
            K::EditAccount
        } else {
            K::NewAccount
        })
    };
    let cancel_href = id
        .map(routes::account_href)
        .unwrap_or_else(|| routes::ACCOUNTS.to_string());

    let owner_options = move || {
        let mut users: Vec<(String, String)> = auth
            .directory
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|u| (u.id.to_string(), u.name))
            .collect();
        if let Some(me) = auth.me.get().flatten() {
            if !users.iter().any(|(id, _)| *id == me.user.id.to_string()) {
                users.insert(0, (me.user.id.to_string(), me.user.name));
            }
        }
        let current = fields.owner.get();
        if !current.is_empty() && !users.iter().any(|(id, _)| *id == current) {
            users.push((current.clone(), current[..8.min(current.len())].to_string()));
        }
        users
            .into_iter()
            .map(|(id, name)| {
                let sel = id.clone();
                view! { <option value=id selected=move || fields.owner.get() == sel>{name}</option> }
            })
            .collect_view()
    };

    let form = move || {
        let save = save.clone();
        view! {
            <form class="record-form" id="account-form" on:submit=submit.clone() novalidate>
                <FormErrorSummary errors shown=SHOWN />
                {move || save_error.get().map(|e| view! { <ErrorNotice error=e /> })}
                <Show when=move || stale.get()>
                    <div class="notice warning" role="alert" id="stale-notice">
                        <strong>{move || i.t(K::StaleTitle)}</strong>
                        <p>{move || i.t(K::StaleText)}</p>
                        <button type="button" id="reload-latest" on:click=move |_| load()>
                            {move || i.t(K::Reload)}
                        </button>
                    </div>
                </Show>
                <div class="grid">
                    <FormField label=K::Name field="name" errors>
                        <input id="f-name" type="text" required bind:value=fields.name />
                    </FormField>
                    <FormField label=K::CreditCode field="credit_code" errors>
                        <input id="f-credit_code" type="text" maxlength="18" bind:value=fields.credit_code />
                    </FormField>
                    <FormField label=K::Class field="class" errors>
                        <select id="f-class" prop:value=move || fields.class.get() on:change=move |ev| fields.class.set(event_target_value(&ev))>
                            {AccountClass::ALL
                                .into_iter()
                                .map(|c| view! {
                                    <option value=c.as_str() selected=move || fields.class.get() == c.as_str()>
                                        {move || class_label(c, i.locale())}
                                    </option>
                                })
                                .collect_view()}
                        </select>
                    </FormField>
                    <FormField label=K::Industry field="industry" errors>
                        <PicklistSelect id="f-industry" table=INDUSTRIES value=fields.industry blank=K::None />
                    </FormField>
                    <FormField label=K::Source field="source" errors>
                        <PicklistSelect id="f-source" table=SOURCES value=fields.source blank=K::None />
                    </FormField>
                    <FormField label=K::Owner field="owner_id" errors>
                        <select id="f-owner_id" prop:value=move || fields.owner.get() on:change=move |ev| fields.owner.set(event_target_value(&ev))>
                            <Show when=move || id.is_none()>
                                <option value="">{move || i.t(K::Mine)}</option>
                            </Show>
                            {owner_options}
                        </select>
                    </FormField>
                    <FormField label=K::Employees field="employees" errors>
                        <input id="f-employees" type="text" inputmode="numeric" bind:value=fields.employees />
                    </FormField>
                    <FormField label=K::AnnualRevenue field="annual_revenue" errors>
                        <div class="money-input">
                            <input id="f-annual_revenue" type="text" inputmode="decimal" bind:value=fields.amount />
                            <input id="f-currency" type="text" maxlength="3" aria-label=move || i.t(K::Currency) bind:value=fields.currency />
                        </div>
                    </FormField>
                    <FormField label=K::Phone field="phone" errors>
                        <input id="f-phone" type="tel" bind:value=fields.phone />
                    </FormField>
                    <FormField label=K::Website field="website" errors>
                        <input id="f-website" type="text" bind:value=fields.website />
                    </FormField>
                    <FormField label=K::Region field="region" errors hint=K::RegionHint>
                        <input id="f-region" type="text" inputmode="numeric" maxlength="6" bind:value=fields.region />
                    </FormField>
                    <FormField label=K::Address field="address" errors>
                        <input id="f-address" type="text" bind:value=fields.address />
                    </FormField>
                    <FormField label=K::Tags field="tags" errors hint=K::TagsHint>
                        <input id="f-tags" type="text" bind:value=fields.tags />
                    </FormField>
                </div>
                <div class="actions">
                    <button type="submit" class="primary" id="save" disabled=move || busy.get()>
                        {move || i.t(if busy.get() { K::Saving } else if id.is_some() { K::Save } else { K::Create })}
                    </button>
                    <A href=cancel_href.clone() attr:class="button">{move || i.t(K::Cancel)}</A>
                </div>
                {move || {
                    let save = save.clone();
                    duplicates.get().map(|candidates| view! {
                        <DuplicateDialog
                            candidates
                            proceed_label=if id.is_some() { K::SaveAnyway } else { K::CreateAnyway }
                            on_proceed=Callback::new(move |_| save(true))
                            on_cancel=Callback::new(move |_| duplicates.set(None))
                        />
                    })
                }}
            </form>
        }
    };

    view! {
        <section class="page account-form-page">
            <h1>{title}</h1>
            {move || match (id, load_error.get(), original.with(Option::is_some)) {
                (Some(_), Some(e), _) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
                (Some(_), None, false) => view! { <Loading /> }.into_any(),
                _ => form().into_any(),
            }}
        </section>
    }
}
