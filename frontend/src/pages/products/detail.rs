//! One product: its fields (the category by its path in the tree), custom values and history;
//! edit, delete and restore. A timeline shows when the registry says products take activities.

use super::{Tree, FIELDS};
use crate::api;
use crate::components::{use_retry, HistoryList, Loading, RecordActions};
use crate::custom::view::CustomValuesView;
use crate::custom::{plural_of, Meta};
use crate::i18n::{format_datetime, format_money, use_i18n, yes_no, K};
use crate::pages::record::{not_found, use_id_param};
use crate::routes;
use domain::activity::EntityType;
use domain::product::Product;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn ProductDetailPage() -> impl IntoView {
    let meta = Meta::load(plural_of(api::products::PATH));
    let tree = Tree::load();
    let i = use_i18n();
    let retry = use_retry();
    let id = use_id_param();
    let product = LocalResource::new(move || {
        retry.track();
        let id = id.get();
        async move {
            match id {
                Some(id) => api::products::PRODUCTS.get_any(id).await,
                None => Err(not_found()),
            }
        }
    });
    let history = LocalResource::new(move || {
        retry.track();
        let id = id.get();
        async move {
            match id {
                Some(id) => api::products::PRODUCTS.history(id).await.map(|p| p.data),
                None => Ok(Vec::new()),
            }
        }
    });
    let refresh = move || {
        product.refetch();
        history.refetch();
    };
    // Products join activities (and so a timeline) only if the registry says so.
    let timeline = EntityType::parse(domain::registry::PRODUCT.name);
    view! {
        <section class="page product-detail">
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    product.await.map(|(p, etag)| view! {
                        <ProductCard product=p etag meta tree on_change=Callback::new(move |_| refresh()) />
                    })
                })}
            </Transition>
            {move || id.get().zip(timeline).map(|(id, entity)| view! { <crate::components::Timeline entity id /> })}
            <section class="history" id="history">
                <h2>{move || i.t(K::History)}</h2>
                <Transition fallback=|| view! { <Loading /> }>
                    {move || Suspend::new(async move {
                        history.await.map(|entries| view! { <HistoryList entries fields=FIELDS custom=meta /> })
                    })}
                </Transition>
            </section>
        </section>
    }
}

#[component]
fn ProductCard(
    product: Product,
    meta: Meta,
    tree: Tree,
    etag: Option<String>,
    on_change: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let p = product.clone();
    let id = p.id;
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_string());
    let (spec, model, unit, remarks) = (
        dash(&p.spec),
        dash(&p.model),
        dash(&p.unit),
        dash(&p.remarks),
    );
    let price = p.unit_price.clone();
    let (category, active, created, updated, version) = (
        p.category_id,
        p.active,
        p.created_at,
        p.updated_at,
        p.version,
    );
    let category_view = move || match category {
        Some(c) => {
            let ids = tree.subtree(c);
            let name = tree.path(c).unwrap_or_else(|| c.to_string());
            view! { <A href=routes::products_in(&ids) attr:id="product-category">{name}</A> }
                .into_any()
        }
        None => view! { <span>{i.t(K::NoCategory)}</span> }.into_any(),
    };
    view! {
        <article class="record-card" data-id=id.to_string() data-version=version.to_string()>
            <div class="page-head">
                <h1 id="record-title">
                    {p.name.clone()}
                    " "
                    <code class="product-code" id="product-code">{p.code.clone()}</code>
                    {(!active).then(|| view! { " " <span class="badge">{move || i.t(K::Inactive)}</span> })}
                </h1>
                <RecordActions
                    resource=api::products::PRODUCTS
                    record=product
                    id
                    etag
                    deleted=p.deleted_at.is_some()
                    back_href=routes::PRODUCTS
                    edit_href=routes::product_edit_href(id)
                    on_change
                />
            </div>
            <h2>{move || i.t(K::Details)}</h2>
            <dl class="props">
                <div class="prop" data-field="category_id"><dt>{move || i.t(K::Category)}</dt><dd>{category_view}</dd></div>
                <div class="prop" data-field="spec"><dt>{move || i.t(K::Spec)}</dt><dd>{spec}</dd></div>
                <div class="prop" data-field="model"><dt>{move || i.t(K::Model)}</dt><dd>{model}</dd></div>
                <div class="prop" data-field="unit"><dt>{move || i.t(K::Unit)}</dt><dd>{unit}</dd></div>
                <div class="prop" data-field="unit_price"><dt>{move || i.t(K::UnitPrice)}</dt><dd>{move || price.as_ref().map(|m| format_money(m, i.locale())).unwrap_or_else(|| "—".into())}</dd></div>
                <div class="prop" data-field="active"><dt>{move || i.t(K::ActiveProduct)}</dt><dd>{move || yes_no(active, i.locale())}</dd></div>
                <div class="prop" data-field="created_at"><dt>{move || i.t(K::CreatedAt)}</dt><dd>{move || format_datetime(&created, i.locale())}</dd></div>
                <div class="prop" data-field="updated_at"><dt>{move || i.t(K::UpdatedAt)}</dt><dd>{move || format_datetime(&updated, i.locale())}</dd></div>
                <div class="prop" data-field="version"><dt>{move || i.t(K::Version)}</dt><dd>{version.to_string()}</dd></div>
                <div class="prop wide" data-field="remarks"><dt>{move || i.t(K::Remarks)}</dt><dd>{remarks}</dd></div>
            </dl>
            <CustomValuesView meta values=p.custom.clone() />
        </article>
    }
}
