//! The products list: the columns of the catalogue (sortable where the metadata says so), quick
//! search, filters by category (a category and its subcategories) and by active, custom-field
//! columns and filters, all in the URL; cursor paging. Only the shown columns are fetched, and the
//! custom number and money columns shown are summed over the whole list.

use super::Tree;
use crate::api::products::PATH;
use crate::components::{FilterBar, SortHeader};
use crate::custom::list::{CustomCells, CustomHeaders, CustomList, CustomListControls, CustomSums};
use crate::i18n::{format_datetime, format_money, use_i18n, yes_no, K};
use crate::list::{use_record_list, ListFooter, ListRow, ListSpec, ListTotal, ListViews, SumsRow};
use crate::registry;
use crate::routes::{self, CATEGORY_FILTER};
use domain::money::Money;
use leptos::prelude::*;
use leptos_router::components::A;
use uuid::Uuid;

const SPEC: ListSpec = ListSpec {
    api_path: PATH,
    page_path: routes::PRODUCTS,
    filter_keys: &[CATEGORY_FILTER, "category_id", "active", "unit"],
    page_size: 50,
};

crate::list_row! {
    /// A product as the list shows it.
    ProductRow {
        code: String,
        name: String,
        category_id: Option<Uuid>,
        spec: Option<String>,
        model: Option<String>,
        unit: Option<String>,
        unit_price: Option<Money>,
        active: bool,
        updated_at: chrono::DateTime<chrono::Utc>,
    }
}

/// No built-in column is summed (a sum of unit prices means nothing); custom ones may be.
const SUMS: &[&str] = &[];

/// The built-in columns, in order: the API's field and its label.
const COLUMNS: &[(&str, K)] = &[
    ("code", K::ProductCode),
    ("name", K::Name),
    ("category_id", K::Category),
    ("spec", K::Spec),
    ("model", K::Model),
    ("unit", K::Unit),
    ("unit_price", K::UnitPrice),
    ("active", K::ActiveProduct),
    ("updated_at", K::UpdatedAt),
];

#[component]
pub fn ProductsListPage() -> impl IntoView {
    let i = use_i18n();
    let list = use_record_list::<ProductRow>(SPEC, SUMS);
    let custom = CustomList::new(&list, ProductRow::custom);
    let meta = custom.meta();
    let tree = Tree::load();
    let query = list.query;
    // The category chosen: the first of the filter's ids (the rest are its subcategories).
    let category = Signal::derive(move || {
        query.with(|q| {
            q.filter(CATEGORY_FILTER)
                .or_else(|| q.filter("category_id"))
                .and_then(|v| v.split(',').next())
                .unwrap_or_default()
                .to_string()
        })
    });
    let choose_category = move |v: String| {
        let ids = v.parse::<Uuid>().ok().map(|id| {
            tree.subtree(id)
                .iter()
                .map(Uuid::to_string)
                .collect::<Vec<_>>()
                .join(",")
        });
        let next = query
            .get_untracked()
            .with_filter("category_id", None)
            .with_filter(CATEGORY_FILTER, ids);
        list.go(next);
    };
    let active = move || query.with(|q| q.filter("active").unwrap_or_default().to_string());
    let new_href = move || match category.get().parse::<Uuid>() {
        Ok(c) => routes::new_product_in(c),
        Err(_) => routes::NEW_PRODUCT.to_string(),
    };
    let sortable = move |field: &str| {
        meta.data.with(|m| {
            m.as_ref()
                .is_some_and(|m| m.fields.iter().any(|f| f.name == field && f.sortable))
        })
    };
    let headers = move || {
        COLUMNS
            .iter()
            .map(|&(field, label)| {
                if sortable(field) {
                    view! { <SortHeader label field query page_path=routes::PRODUCTS /> }.into_any()
                } else {
                    view! { <th data-column=field>{move || i.t(label)}</th> }.into_any()
                }
            })
            .collect_view()
    };

    let row = move |p: ProductRow| {
        let custom_values = p.custom.clone();
        let price = p.unit_price.clone();
        let (category_id, updated, active) = (p.category_id, p.updated_at, p.active);
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let (code, data_code) = (p.code.clone(), p.code.clone());
        view! {
            <tr data-id=p.id.to_string() data-code=data_code class:inactive=!active>
                <td class="code" data-label=move || i.t(K::ProductCode)>
                    <A href=routes::product_href(p.id)>{code}</A>
                </td>
                <td class="name" data-label=move || i.t(K::Name)>
                    <A href=routes::product_href(p.id)>{p.name.clone()}</A>
                </td>
                <td class="category" data-label=move || i.t(K::Category)>
                    {move || category_id.and_then(|c| tree.path(c)).unwrap_or_default()}
                </td>
                <td data-label=move || i.t(K::Spec)>{text(&p.spec)}</td>
                <td data-label=move || i.t(K::Model)>{text(&p.model)}</td>
                <td data-label=move || i.t(K::Unit)>{text(&p.unit)}</td>
                <td class="num" data-label=move || i.t(K::UnitPrice)>
                    {move || price.as_ref().map(|m| format_money(m, i.locale())).unwrap_or_default()}
                </td>
                <td data-label=move || i.t(K::ActiveProduct)>{move || yes_no(active, i.locale())}</td>
                <td data-label=move || i.t(K::UpdatedAt)>{move || format_datetime(&updated, i.locale())}</td>
                <CustomCells custom values=custom_values />
            </tr>
        }
    };

    view! {
        <section class="page products-list">
            <div class="page-head">
                <h1>
                    {move || registry::label(i, domain::registry::PRODUCT.plural_label)}
                    <ListTotal total=list.total />
                </h1>
                <div class="actions">
                    <A href=routes::PRODUCT_CATEGORIES attr:class="button" attr:id="manage-categories">
                        {move || i.t(K::ManageCategories)}
                    </A>
                    <A href=new_href attr:class="button primary" attr:id="new-product">
                        {move || i.t(K::NewProduct)}
                    </A>
                </div>
            </div>
            <ListViews spec=SPEC query />
            <FilterBar list placeholder=K::QuickSearchProducts>
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
                    on:change=move |ev| list.go(query.get_untracked().with_filter("active", Some(event_target_value(&ev))))
                >
                    <option value="">{move || i.t(K::Any)}</option>
                    <option value="true" selected=move || active() == "true">{move || i.t(K::ActiveOnly)}</option>
                    <option value="false" selected=move || active() == "false">{move || i.t(K::InactiveOnly)}</option>
                </select>
            </FilterBar>
            <CustomListControls custom />
            <div class="table-wrap">
                <table class="records" id="products-table">
                    <thead>
                        <tr>
                            {headers}
                            <CustomHeaders custom />
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || list.items.get() key=|p| (p.id, p.version) children=row />
                    </tbody>
                    <tfoot>
                        <SumsRow list>
                            {COLUMNS.iter().skip(1).map(|_| view! { <td></td> }).collect_view()}
                            <CustomSums custom />
                        </SumsRow>
                    </tfoot>
                </table>
            </div>
            <ListFooter list />
        </section>
    }
}
