//! Global search results (`/search?q=`), grouped by entity.

use crate::api;
use crate::components::{use_retry, Loading};
use crate::i18n::{use_i18n, K};
use crate::registry;
use crate::routes::entity_href;
use domain::search::SearchHit;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// Hits grouped by entity, groups in the order of their best hit.
fn group(hits: Vec<SearchHit>) -> Vec<(String, Vec<SearchHit>)> {
    let mut groups: Vec<(String, Vec<SearchHit>)> = Vec::new();
    for hit in hits {
        match groups.iter_mut().find(|(e, _)| *e == hit.entity) {
            Some((_, list)) => list.push(hit),
            None => groups.push((hit.entity.clone(), vec![hit])),
        }
    }
    groups
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let i = use_i18n();
    let retry = use_retry();
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let results = LocalResource::new(move || {
        retry.track();
        let q = q.get();
        async move {
            if q.trim().is_empty() {
                Ok(Vec::new())
            } else {
                api::search::search(q).await.map(|r| group(r.data))
            }
        }
    });

    let render_group = move |(entity, hits): (String, Vec<SearchHit>)| {
        let title = entity.clone();
        view! {
            <section class="result-group" data-entity=entity.clone()>
                <h2>
                    {move || domain::registry::entity(&title).map(|e| registry::label(i, e.plural_label).to_string()).unwrap_or(title.clone())}
                    <span class="count">{hits.len()}</span>
                </h2>
                <ul class="hits">
                    {hits
                        .into_iter()
                        .map(|h| {
                            let title = h.title.clone();
                            let link = match entity_href(&h.entity, h.id) {
                                Some(href) => view! { <A href=href>{title}</A> }.into_any(),
                                None => view! { <span>{title}</span> }.into_any(),
                            };
                            view! {
                                <li class="hit">
                                    {link}
                                    {h.subtitle.map(|s| view! { <small class="subtitle">{s}</small> })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    };

    view! {
        <section class="page search-page">
            <h1>
                {move || i.t(K::SearchResults)}
                {move || {
                    let q = q.get();
                    (!q.is_empty()).then(|| view! { <span class="query">" “" {q} "”"</span> })
                }}
            </h1>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    results
                        .await
                        .map(|groups| {
                            if q.get_untracked().trim().is_empty() {
                                view! { <p class="empty">{move || i.t(K::SearchHint)}</p> }.into_any()
                            } else if groups.is_empty() {
                                view! { <p class="empty">{move || i.t(K::NoResults)}</p> }.into_any()
                            } else {
                                groups.into_iter().map(render_group).collect_view().into_any()
                            }
                        })
                })}
            </Transition>
        </section>
    }
}
