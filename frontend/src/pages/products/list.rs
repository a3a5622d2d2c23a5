//! The products list: the columns of the catalogue, quick search, filters by category (a
//! category and its subcategories) and by active, custom-field columns and filters, all in the
//! URL; cursor paging. Only the shown columns are fetched, and the custom number and money
//! columns shown are summed over the whole list (no built-in one: a sum of unit prices means
//! nothing). A product's category shows as its path in the tree.

use super::Tree;
use crate::api::products::PATH;
use crate::i18n::{use_i18n, K};
use crate::list::{ListSpec, ListState, Row};
use crate::record::{Column, ListHooks, RecordList};
use crate::routes::{self, CATEGORY_FILTER};
use domain::registry::PRODUCT;
use leptos::prelude::*;
use leptos_router::components::A;
use uuid::Uuid;

const SPEC: ListSpec = ListSpec {
    api_path: PATH,
    page_path: routes::PRODUCTS,
    filter_keys: &[CATEGORY_FILTER, "category_id", "active", "unit"],
    page_size: 50,
};

const COLUMNS: &[Column] = &[
    Column::link("code"),
    Column::link("name"),
    Column::new("category_id").class("category"),
    Column::new("spec"),
    Column::new("model"),
    Column::new("unit"),
    Column::new("unit_price"),
    Column::new("active"),
    Column::new("updated_at"),
];

/// The category chosen: the first of the filter's ids (the rest are its subcategories).
fn category(list: ListState<Row>) -> Signal<String> {
    Signal::derive(move || {
        list.query.with(|q| {
            q.filter(CATEGORY_FILTER)
                .or_else(|| q.filter("category_id"))
                .and_then(|v| v.split(',').next())
                .unwrap_or_default()
                .to_string()
        })
    })
}

#[component]
pub fn ProductsListPage() -> impl IntoView {
    let i = use_i18n();
    let tree = Tree::load();
    let cell = move |(field, row): (&'static str, Row)| {
        if field != "category_id" {
            return None;
        }
        let id = row.get(field).as_str()?.parse().ok()?;
        Some((move || tree.path(id).unwrap_or_default()).into_any())
    };
    // Rows are found by their code; an inactive product's row is greyed.
    let row = |row: Row| {
        let code = row.get("code").as_str().unwrap_or_default().to_string();
        let mut attrs = vec![("data-code", code)];
        if row.get("active").as_bool() == Some(false) {
            attrs.push(("class", "inactive".to_string()));
        }
        attrs
    };
    let filters = move |list: ListState<Row>| {
        let category = category(list);
        let query = list.query;
        let choose_category = move |v: String| {
            let ids = v.parse::<Uuid>().ok().map(|id| {
                let ids: Vec<_> = tree.subtree(id).iter().map(Uuid::to_string).collect();
                ids.join(",")
            });
            let next = query
                .get_untracked()
                .with_filter("category_id", None)
                .with_filter(CATEGORY_FILTER, ids);
            list.go(next);
        };
        let active = move || query.with(|q| q.filter("active").unwrap_or_default().to_string());
        let set_active =
            move |v: String| list.go(query.get_untracked().with_filter("active", Some(v)));
        view! {
            <select
                id="filter-category"
                aria-label=move || i.t(K::Category)
                prop:value=move || category.get()
                on:change=move |ev| choose_category(event_target_value(&ev))
            >
                <option value="">{move || i.t(K::AllCategories)}</option>
                <super::CategoryOptions tree selected=category />
            </select>
            <select
                id="filter-active"
                aria-label=move || i.t(K::ActiveProduct)
                prop:value=active
                on:change=move |ev| set_active(event_target_value(&ev))
            >
                <option value="">{move || i.t(K::Any)}</option>
                <option value="true" selected=move || active() == "true">{move || i.t(K::ActiveOnly)}</option>
                <option value="false" selected=move || active() == "false">{move || i.t(K::InactiveOnly)}</option>
            </select>
        }
        .into_any()
    };
    let actions = move |list: ListState<Row>| {
        let category = category(list);
        let href = move || match category.get().parse::<Uuid>() {
            Ok(c) => routes::new_product_in(c),
            Err(_) => routes::NEW_PRODUCT.to_string(),
        };
        view! {
            <div class="actions">
                <A href=routes::PRODUCT_CATEGORIES attr:class="button" attr:id="manage-categories">
                    {move || i.t(K::ManageCategories)}
                </A>
                <A href attr:class="button primary" attr:id="new-product">
                    {move || i.t(K::NewProduct)}
                </A>
            </div>
        }
        .into_any()
    };
    let hooks = ListHooks {
        cell: Some(Callback::new(cell)),
        row: Some(Callback::new(row)),
        filters: Some(Callback::new(filters)),
        actions: Some(Callback::new(actions)),
        ..ListHooks::default()
    };
    view! {
        <RecordList entity=&PRODUCT spec=SPEC columns=COLUMNS placeholder=K::QuickSearchProducts hooks />
    }
}
