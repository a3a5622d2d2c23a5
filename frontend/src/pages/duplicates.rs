//! Duplicates (`/duplicates?entity=accounts|contacts`): groups of records that look like one, and
//! merging a group into the record chosen to stay, after a dry-run preview of what would change.

use crate::api::{self, ApiError};
use crate::components::{use_retry, ErrorNotice, Loading};
use crate::i18n::{format_datetime, use_i18n, K};
use crate::routes;
use crate::session::use_auth;
use domain::merge::{DuplicateGroup, MergeResult};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

const ENTITIES: [(&str, K); 2] = [("accounts", K::NavAccounts), ("contacts", K::NavContacts)];

fn record_href(entity: &str, id: Uuid) -> String {
    match entity {
        "contacts" => routes::contact_href(id),
        _ => routes::account_href(id),
    }
}

#[component]
pub fn DuplicatesPage() -> impl IntoView {
    let i = use_i18n();
    let retry = use_retry();
    let query = use_query_map();
    let entity = Memo::new(move |_| {
        let e = query.read().get("entity").unwrap_or_default();
        if e == "contacts" {
            "contacts"
        } else {
            "accounts"
        }
    });
    let groups = LocalResource::new(move || {
        retry.track();
        let e = entity.get();
        async move { api::merge::duplicates(e).await }
    });
    view! {
        <section class="page duplicates-page">
            <div class="page-head">
                <h1>{move || i.t(K::DuplicatesTitle)}</h1>
            </div>
            <nav class="tabs">
                {ENTITIES.into_iter().map(|(e, label)| view! {
                    <A href=format!("{}?entity={e}", routes::DUPLICATES) attr:class=move || if entity.get() == e { "tab active" } else { "tab" }>
                        {move || i.t(label)}
                    </A>
                }).collect_view()}
            </nav>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    groups.await.map(|found| {
                        if found.is_empty() {
                            return view! { <p class="empty" id="no-duplicates">{move || i.t(K::NoDuplicates)}</p> }.into_any();
                        }
                        let e = entity.get_untracked();
                        found.into_iter().map(|g| view! {
                            <Group entity=e group=g on_merged=Callback::new(move |_| groups.refetch()) />
                        }).collect_view().into_any()
                    })
                })}
            </Transition>
        </section>
    }
}

/// One group: pick the record that stays, preview, merge.
#[component]
fn Group(entity: &'static str, group: DuplicateGroup, on_merged: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    // The most recently updated record stays unless chosen otherwise.
    let newest = group
        .records
        .iter()
        .max_by_key(|r| r.updated_at)
        .map(|r| r.id);
    let keep = RwSignal::new(newest);
    let preview = RwSignal::new(None::<MergeResult>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    let ids: Vec<Uuid> = group.records.iter().map(|r| r.id).collect();
    let run = move |dry_run: bool| {
        let Some(into) = keep.get_untracked() else {
            return;
        };
        let from: Vec<Uuid> = ids.iter().copied().filter(|id| *id != into).collect();
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let result = api::merge::merge(entity, into, from, dry_run).await;
            busy.set(false);
            match result {
                Ok(r) if r.dry_run => preview.set(Some(r)),
                Ok(_) => on_merged.run(()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let run_preview = run.clone();
    let key = group.key.clone();
    let reason = group.reason.clone();
    view! {
        <section class="panel duplicate-group" data-key=group.key.clone()>
            <h2>
                {move || match reason.as_str() {
                    "credit_code" => i.t(K::ReasonCreditCode),
                    "phone" => i.t(K::ReasonPhone),
                    "email" => i.t(K::ReasonEmail),
                    _ => i.t(K::ReasonName),
                }}
                ": " <span class="subtitle">{key}</span>
            </h2>
            <ul class="list-plain">
                {group.records.into_iter().map(|r| {
                    let id = r.id;
                    let (owner, at) = (r.owner_id, r.updated_at);
                    view! {
                        <li data-id=id.to_string()>
                            <label>
                                <input
                                    type="radio"
                                    class="keep"
                                    name=format!("keep-{}", group.key)
                                    prop:checked=move || keep.get() == Some(id)
                                    on:change=move |_| { keep.set(Some(id)); preview.set(None); }
                                />
                                " " <A href=record_href(entity, id)>{r.name.clone()}</A>
                            </label>
                            <span class="subtitle">
                                {move || owner.map(|o| auth.user_name(o, i.t(K::Mine))).unwrap_or_else(|| i.t(K::InPool).to_string())} " · " {move || format_datetime(&at, i.locale())}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <p class="hint">{move || i.t(K::KeepHint)}</p>
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
            {move || preview.get().map(|p| view! {
                <div class="notice info merge-preview">
                    <strong>{move || i.t(K::MergePreview)}</strong>
                    <p>{move || i.t_n(K::MergeRecords, p.merged.len() as i64)}</p>
                    <p>
                        {move || i.t(K::MovesContacts)} " " {p.moved.contacts} " · "
                        {move || i.t(K::MovesOpportunities)} " " {p.moved.opportunities} " · "
                        {move || i.t(K::MovesLeads)} " " {p.moved.leads} " · "
                        {move || i.t(K::Activities)} " " {p.moved.activities} " · "
                        {move || i.t(K::MovesHistory)} " " {p.moved.history}
                    </p>
                    <p>{move || i.t(K::FilledFields)} ": " {if p.filled.is_empty() { "—".to_string() } else { p.filled.join(", ") }}</p>
                </div>
            })}
            <div class="actions">
                <button type="button" class="preview-merge" disabled=move || busy.get() on:click=move |_| run_preview(true)>
                    {move || i.t(K::Preview)}
                </button>
                <button
                    type="button"
                    class="primary confirm-merge"
                    disabled=move || busy.get() || preview.with(Option::is_none)
                    on:click=move |_| run(false)
                >
                    {move || i.t(K::Merge)}
                </button>
            </div>
        </section>
    }
}
