//! Creating and editing a product on the generic record form, with what is a product's own: the
//! category picked from the tree (`?category_id=` presets it), and a taken code (409) named on
//! the code's field with a link to the product that has it.

use super::{CategoryOptions, Tree};
use crate::api;
use crate::i18n::{use_i18n, K};
use crate::record::{FormHooks, RecordForm};
use crate::routes;
use domain::registry::PRODUCT;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

/// A code another product has (409): the code, and that product when it could be found.
#[derive(Debug, Clone, PartialEq)]
struct Taken {
    code: String,
    holder: Option<(Uuid, String)>,
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
    let tree = Tree::load();
    let taken = RwSignal::new(None::<Taken>);
    let category = move |value: RwSignal<String>| {
        view! {
            <select
                id="f-category_id"
                prop:value=move || value.get()
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                <option value="">{move || i.t(K::NoCategory)}</option>
                <CategoryOptions tree selected=value.into() />
            </select>
        }
        .into_any()
    };
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
    let hooks = FormHooks {
        input: Some(Callback::new(move |(_, value)| category(value))),
        after_field: Some(Callback::new(move |name: &'static str| {
            (name == "code").then_some(taken_view).into_any()
        })),
        invalid: Some(Callback::new(move |name: &'static str| {
            name == "code" && taken.with(Option::is_some)
        })),
        on_begin: Some(Callback::new(move |_| taken.set(None))),
        // A taken code: name the product that has it (other taken values show on their field).
        on_error: Some(Callback::new(
            move |(e, body): (api::ApiError, serde_json::Value)| {
                let code_taken = e.field_errors().iter().any(|f| f.field == "code");
                if e.status() != Some(409) || !code_taken {
                    return false;
                }
                let code = body["code"].as_str().unwrap_or_default().to_string();
                spawn_local(async move {
                    let holder = api::products::code_holder(&code, id)
                        .await
                        .ok()
                        .flatten()
                        .map(|p| (p.id, p.name));
                    taken.set(Some(Taken { code, holder }));
                });
                true
            },
        )),
        ..FormHooks::default()
    };
    view! {
        <RecordForm
            entity=&PRODUCT
            resource=api::products::PRODUCTS.json()
            id
            form_id="product-form"
            title=if id.is_some() { K::EditProduct } else { K::NewProduct }
            href=routes::product_href
            list_href=routes::PRODUCTS
            hooks
        />
    }
}
