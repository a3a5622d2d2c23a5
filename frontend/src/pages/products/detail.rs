//! One product on the generic record page, with what is a product's own: its code and whether
//! it is active next to its name, and its category by its path in the tree.

use super::Tree;
use crate::api;
use crate::i18n::{use_i18n, K};
use crate::record::{PageHooks, RecordPage};
use crate::routes;
use domain::registry::fields::FieldDef;
use domain::registry::PRODUCT;
use leptos::prelude::*;
use leptos_router::components::A;
use serde_json::Value;
use uuid::Uuid;

#[component]
pub fn ProductDetailPage() -> impl IntoView {
    let i = use_i18n();
    let tree = Tree::load();
    let title = move |p: Value| {
        let text = |k: &str| p[k].as_str().unwrap_or_default().to_string();
        let inactive = p["active"] == Value::Bool(false);
        view! {
            {text("name")}
            " "
            <code class="product-code" id="product-code">{text("code")}</code>
            {inactive.then(|| view! { " " <span class="badge">{move || i.t(K::Inactive)}</span> })}
        }
        .into_any()
    };
    let category = move |v: Value| match v.as_str().and_then(|s| s.parse::<Uuid>().ok()) {
        Some(c) => {
            let ids = tree.subtree(c);
            let name = tree.path(c).unwrap_or_else(|| c.to_string());
            view! { <A href=routes::products_in(&ids) attr:id="product-category">{name}</A> }
                .into_any()
        }
        None => view! { <span>{move || i.t(K::NoCategory)}</span> }.into_any(),
    };
    let hooks = PageHooks {
        title: Some(Callback::new(title)),
        // The tree loads after the record: the path follows it.
        value: Some(Callback::new(move |(f, v): (&FieldDef, Value)| {
            (f.name == "category_id").then(|| (move || category(v.clone())).into_any())
        })),
        ..PageHooks::default()
    };
    view! {
        <RecordPage
            entity=&PRODUCT
            resource=api::products::PRODUCTS.json()
            list_href=routes::PRODUCTS
            edit_href=routes::product_edit_href
            hooks
        />
    }
}
