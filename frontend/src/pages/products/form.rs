//! Creating and editing a product on the generic record form, with what is a product's own: the
//! category picked from the tree (`?category_id=` presets it). A taken code is refused on its
//! field with a link to the product that has it, as every unique value is.

use super::{CategoryOptions, Tree};
use crate::api;
use crate::i18n::{use_i18n, K};
use crate::record::{FormHooks, RecordForm};
use crate::routes;
use domain::registry::PRODUCT;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

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
    let hooks = FormHooks {
        input: Some(Callback::new(move |(_, value)| category(value))),
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
