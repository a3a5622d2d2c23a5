//! Creating and editing an account: server validation errors on their fields, the duplicate
//! dialog (409) with "create anyway", `If-Match` on save and a reload offer on 412.

use crate::api::{self, ApiError};
use crate::components::{
    DuplicateDialog, ErrorNotice, Loading, OwnerSelect, PicklistSelect, RegionPicker,
};
use crate::custom::form::{CustomForm, CustomInputs};
use crate::custom::plural_of;
use crate::form::{split_list, FormErrors, FormField, Submit, SubmitNotices};
use crate::i18n::{class_label, use_i18n, K};
use crate::routes;
use domain::account::{Account, AccountClass, AccountInput};
use domain::money::{Decimal, Money};
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
    "custom",
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
    custom: CustomForm,
}

fn text(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_string())
}

impl Fields {
    fn new(creating: bool) -> Fields {
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
            custom: CustomForm::new(plural_of(api::accounts::PATH), creating),
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
        self.custom.fill(&a.custom);
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
        let custom = self.custom.values(errors);
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
            tags: split_list(&self.tags.get_untracked()),
            custom,
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
    let navigate = use_navigate();
    let fields = Fields::new(id.is_none());
    let submit = Submit::new();
    let errors = submit.errors;
    // The version read (edit): the account and the ETag to send as If-Match.
    let original = RwSignal::new(None::<(Account, String)>);
    let load_error = RwSignal::new(None::<ApiError>);

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
        let Some(input) = fields.input(errors) else {
            return submit.end();
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = match (id, original.get_untracked()) {
                (None, _) => api::accounts::ACCOUNTS
                    .create(&input, force)
                    .await
                    .map(|r| r.body),
                (Some(_), None) => return submit.end(),
                (Some(id), Some((account, etag))) => {
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
            };
            match result {
                Ok(account) => {
                    submit.end();
                    navigate(
                        &routes::account_href(account.id),
                        NavigateOptions::default(),
                    )
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

    let form = move || {
        let save = save.clone();
        view! {
            <form class="record-form" id="account-form" on:submit=on_submit.clone() novalidate>
                <SubmitNotices submit shown=SHOWN on_reload=Callback::new(move |_| load()) />
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
                        <PicklistSelect id="f-industry" list="industry" value=fields.industry blank=K::None />
                    </FormField>
                    <FormField label=K::Source field="source" errors>
                        <PicklistSelect id="f-source" list="source" value=fields.source blank=K::None />
                    </FormField>
                    <FormField label=K::Owner field="owner_id" errors>
                        <OwnerSelect id="f-owner_id" value=fields.owner blank_is_me=id.is_none() />
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
                        <RegionPicker value=fields.region />
                    </FormField>
                    <FormField label=K::Address field="address" errors>
                        <input id="f-address" type="text" bind:value=fields.address />
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
