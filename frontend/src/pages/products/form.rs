//! Creating and editing a product: 422 field errors on their fields, a taken code (409) named on
//! the code's field with a link to the product that has it, `If-Match` on save and a reload
//! offer on 412. `?category_id=` presets the category of a new product.

use super::{CategoryOptions, Tree};
use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, Loading};
use crate::custom::form::{CustomForm, CustomInputs};
use crate::custom::plural_of;
use crate::form::{opt_text, FieldErrors, FormErrors, FormField, Submit, SubmitNotices};
use crate::i18n::{use_i18n, K};
use crate::routes;
use domain::money::{Decimal, Money};
use domain::product::{Product, ProductInput};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use uuid::Uuid;

/// The fields the form shows (errors of others go to the summary).
const SHOWN: &[&str] = &[
    "code",
    "name",
    "category_id",
    "spec",
    "model",
    "unit",
    "unit_price",
    "active",
    "remarks",
    "custom",
];

/// A code another product has (409): the code, and that product when it could be found.
#[derive(Debug, Clone, PartialEq)]
struct Taken {
    code: String,
    holder: Option<(Uuid, String)>,
}

#[derive(Debug, Clone, Copy)]
struct Fields {
    code: RwSignal<String>,
    name: RwSignal<String>,
    category: RwSignal<String>,
    spec: RwSignal<String>,
    model: RwSignal<String>,
    unit: RwSignal<String>,
    amount: RwSignal<String>,
    currency: RwSignal<String>,
    active: RwSignal<bool>,
    remarks: RwSignal<String>,
    custom: CustomForm,
}

impl Fields {
    fn new(creating: bool) -> Fields {
        let s = || RwSignal::new(String::new());
        Fields {
            code: s(),
            name: s(),
            category: s(),
            spec: s(),
            model: s(),
            unit: s(),
            amount: s(),
            currency: RwSignal::new("CNY".to_string()),
            active: RwSignal::new(true),
            remarks: s(),
            custom: CustomForm::new(plural_of(api::products::PATH), creating),
        }
    }

    fn fill(&self, p: &Product) {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        self.code.set(p.code.clone());
        self.name.set(p.name.clone());
        self.category
            .set(p.category_id.map(|c| c.to_string()).unwrap_or_default());
        self.spec.set(opt(&p.spec));
        self.model.set(opt(&p.model));
        self.unit.set(opt(&p.unit));
        self.amount.set(
            p.unit_price
                .as_ref()
                .map(|m| m.amount.to_string())
                .unwrap_or_default(),
        );
        self.currency.set(
            p.unit_price
                .as_ref()
                .map(|m| m.currency.clone())
                .unwrap_or_else(|| "CNY".to_string()),
        );
        self.active.set(p.active);
        self.remarks.set(opt(&p.remarks));
        self.custom.fill(&p.custom);
    }

    /// The request body; a price that does not parse is reported on its field instead.
    fn input(&self, errors: FormErrors) -> Option<ProductInput> {
        let unit_price = match opt_text(&self.amount.get_untracked()) {
            None => None,
            Some(s) => match s.replace([',', '，'], "").parse::<Decimal>() {
                Ok(amount) => Some(Money {
                    amount,
                    currency: self.currency.get_untracked().trim().to_uppercase(),
                }),
                Err(_) => {
                    errors.push("unit_price.amount", "decimal", "not a number");
                    None
                }
            },
        };
        let custom = self.custom.values(errors);
        if !errors.is_empty_untracked() {
            return None;
        }
        Some(ProductInput {
            code: self.code.get_untracked().trim().to_string(),
            name: self.name.get_untracked().trim().to_string(),
            spec: opt_text(&self.spec.get_untracked()),
            model: opt_text(&self.model.get_untracked()),
            unit: opt_text(&self.unit.get_untracked()),
            unit_price,
            remarks: opt_text(&self.remarks.get_untracked()),
            active: self.active.get_untracked(),
            category_id: self.category.get_untracked().parse().ok(),
            custom,
        })
    }
}

#[component]
pub fn ProductNewPage() -> impl IntoView {
    view! { <ProductForm id=None /> }
}

#[component]
pub fn ProductEditPage() -> impl IntoView {
    let params = use_params_map();
    move || {
        let id = params.read().get("id").and_then(|s| s.parse::<Uuid>().ok());
        match id {
            Some(id) => view! { <ProductForm id=Some(id) /> }.into_any(),
            None => view! { <crate::pages::NotFoundPage /> }.into_any(),
        }
    }
}

#[component]
fn ProductForm(id: Option<Uuid>) -> impl IntoView {
    let i = use_i18n();
    let navigate = use_navigate();
    let tree = Tree::load();
    let fields = Fields::new(id.is_none());
    let submit = Submit::new();
    let errors = submit.errors;
    let taken = RwSignal::new(None::<Taken>);
    let original = RwSignal::new(None::<(Product, String)>);
    let load_error = RwSignal::new(None::<ApiError>);
    if id.is_none() {
        if let Some(c) = use_query_map().read_untracked().get("category_id") {
            fields.category.set(c);
        }
    }

    let load = move || {
        let Some(id) = id else { return };
        load_error.set(None);
        spawn_local(async move {
            match api::products::PRODUCTS.get(id).await {
                Ok(reply) => {
                    fields.fill(&reply.body);
                    let etag = reply
                        .etag
                        .unwrap_or_else(|| api::records::etag_of(&reply.body));
                    original.set(Some((reply.body, etag)));
                    taken.set(None);
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
        taken.set(None);
        let Some(input) = fields.input(errors) else {
            return submit.end();
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = match (id, original.get_untracked()) {
                (None, _) => api::products::PRODUCTS
                    .create(&input, false)
                    .await
                    .map(|r| r.body),
                (Some(_), None) => return submit.end(),
                (Some(id), Some((product, etag))) => {
                    let patch =
                        api::records::changes(&ProductInput::from_product(&product), &input);
                    if patch.as_object().is_some_and(|p| p.is_empty()) {
                        Ok(product)
                    } else {
                        api::products::PRODUCTS
                            .update(id, &etag, &patch, false)
                            .await
                            .map(|r| r.body)
                    }
                }
            };
            match result {
                Ok(product) => {
                    submit.end();
                    navigate(
                        &routes::product_href(product.id),
                        NavigateOptions::default(),
                    )
                }
                // The one conflict of a product is its code: name the product that has it.
                Err(e) if e.status() == Some(409) && e.candidates().is_empty() => {
                    let holder = api::products::code_holder(&input.code, id)
                        .await
                        .ok()
                        .flatten()
                        .map(|p| (p.id, p.name));
                    submit.end();
                    taken.set(Some(Taken {
                        code: input.code.clone(),
                        holder,
                    }));
                }
                Err(e) => submit.fail(e),
            }
        });
    };
    let save_on_submit = save.clone();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        save_on_submit();
    };

    let title = move || {
        i.t(if id.is_some() {
            K::EditProduct
        } else {
            K::NewProduct
        })
    };
    let cancel_href = id
        .map(routes::product_href)
        .unwrap_or_else(|| routes::PRODUCTS.to_string());
    let taken_view = move || {
        taken.get().map(|t| {
            let code = t.code.clone();
            let before = move || i.t(K::CodeTaken).replace("{code}", &code);
            let message = match t.holder.clone() {
                Some((holder, name)) => view! {
                    {before} " "
                    <A href=routes::product_href(holder) attr:id="code-holder">{name}</A>
                    " " {move || i.t(K::CodeTakenAfter)}
                }
                .into_any(),
                None => {
                    let code = t.code;
                    view! { {move || i.t(K::CodeTakenElsewhere).replace("{code}", &code)} }
                        .into_any()
                }
            };
            view! { <p class="field-error" role="alert" id="code-taken">{message}</p> }
        })
    };

    let form = move || {
        view! {
            <form class="record-form" id="product-form" on:submit=on_submit.clone() novalidate>
                <SubmitNotices submit shown=SHOWN on_reload=Callback::new(move |_| load()) />
                <div class="grid">
                    <div class="field" class:invalid=move || errors.has("code") || taken.with(Option::is_some) data-field="code">
                        <label for="f-code">{move || i.t(K::ProductCode)}</label>
                        <input id="f-code" type="text" maxlength="60" required bind:value=fields.code />
                        <FieldErrors errors field="code" />
                        {taken_view}
                    </div>
                    <FormField label=K::Name field="name" errors>
                        <input id="f-name" type="text" maxlength="200" required bind:value=fields.name />
                    </FormField>
                    <FormField label=K::Category field="category_id" errors>
                        <select
                            id="f-category_id"
                            prop:value=move || fields.category.get()
                            on:change=move |ev| fields.category.set(event_target_value(&ev))
                        >
                            <option value="">{move || i.t(K::NoCategory)}</option>
                            <CategoryOptions tree selected=fields.category.into() />
                        </select>
                    </FormField>
                    <FormField label=K::Spec field="spec" errors>
                        <input id="f-spec" type="text" maxlength="200" bind:value=fields.spec />
                    </FormField>
                    <FormField label=K::Model field="model" errors>
                        <input id="f-model" type="text" maxlength="100" bind:value=fields.model />
                    </FormField>
                    <FormField label=K::Unit field="unit" errors>
                        <input id="f-unit" type="text" maxlength="20" bind:value=fields.unit />
                    </FormField>
                    <FormField label=K::UnitPrice field="unit_price" errors>
                        <div class="money-input">
                            <input id="f-unit_price" type="text" inputmode="decimal" bind:value=fields.amount />
                            <input id="f-currency" type="text" maxlength="3" aria-label=move || i.t(K::Currency) bind:value=fields.currency />
                        </div>
                    </FormField>
                    <FormField label=K::ActiveProduct field="active" errors hint=K::ActiveHint>
                        <input id="f-active" type="checkbox" bind:checked=fields.active />
                    </FormField>
                    <div class="wide">
                        <FormField label=K::Remarks field="remarks" errors>
                            <textarea id="f-remarks" rows="3" maxlength="2000" bind:value=fields.remarks></textarea>
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
            </form>
        }
    };

    view! {
        <section class="page product-form-page">
            <h1>{title}</h1>
            {move || match (id, load_error.get(), original.with(Option::is_some)) {
                (Some(_), Some(e), _) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
                (Some(_), None, false) => view! { <Loading /> }.into_any(),
                _ => form().into_any(),
            }}
        </section>
    }
}
