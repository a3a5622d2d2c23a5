//! One account: its fields, its history (field-level changes), delete (with `If-Match`) and restore.

use super::{field_label, value_text};
use crate::api::{self, ApiError};
use crate::components::{use_retry, ErrorNotice, Loading};
use crate::i18n::{
    choice_label, class_label, format_datetime, format_int, format_money, use_i18n, K,
};
use crate::routes;
use crate::session::use_auth;
use domain::account::{Account, INDUSTRIES, SOURCES};
use domain::audit::HistoryEntry;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

fn not_found() -> ApiError {
    ApiError::Unexpected {
        status: 404,
        detail: "not found".into(),
    }
}

fn action_label(action: &str) -> Option<K> {
    Some(match action {
        "create" => K::ActionCreate,
        "update" => K::ActionUpdate,
        "delete" => K::ActionDelete,
        "restore" => K::ActionRestore,
        _ => return None,
    })
}

#[component]
pub fn AccountDetailPage() -> impl IntoView {
    let i = use_i18n();
    let retry = use_retry();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<Uuid>().ok()));
    let account = LocalResource::new(move || {
        retry.track();
        let id = id.get();
        async move {
            match id {
                Some(id) => api::accounts::get_any(id).await,
                None => Err(not_found()),
            }
        }
    });
    let history = LocalResource::new(move || {
        retry.track();
        let id = id.get();
        async move {
            match id {
                Some(id) => api::accounts::history(id).await.map(|p| p.data),
                None => Ok(Vec::new()),
            }
        }
    });
    let refresh = move || {
        account.refetch();
        history.refetch();
    };

    view! {
        <section class="page account-detail">
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    account.await.map(|(a, etag)| view! { <AccountCard account=a etag on_change=Callback::new(move |_| refresh()) /> })
                })}
            </Transition>
            <section class="history" id="history">
                <h2>{move || i.t(K::History)}</h2>
                <Transition fallback=|| view! { <Loading /> }>
                    {move || Suspend::new(async move {
                        history.await.map(|entries| view! { <HistoryList entries /> })
                    })}
                </Transition>
            </section>
        </section>
    }
}

/// The account's fields and actions.
#[component]
fn AccountCard(account: Account, etag: Option<String>, on_change: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let id = account.id;
    let deleted = account.deleted_at.is_some();
    let etag = etag.unwrap_or_else(|| api::accounts::etag_of(&account));

    let delete = move |_| {
        if !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        let etag = etag.clone();
        busy.set(true);
        spawn_local(async move {
            let result = api::accounts::delete(id, &etag).await;
            busy.set(false);
            confirming.set(false);
            match result {
                Ok(()) => on_change.run(()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let restore = move |_| {
        busy.set(true);
        spawn_local(async move {
            let result = api::accounts::restore(id).await;
            busy.set(false);
            match result {
                Ok(_) => on_change.run(()),
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let a = account.clone();
    let row = move |label: K, value: Box<dyn Fn() -> String + Send + Sync>| {
        view! {
            <div class="prop">
                <dt>{move || i.t(label)}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_string());
    let (industry, source, revenue) = (
        a.industry.clone(),
        a.source.clone(),
        a.annual_revenue.clone(),
    );
    let (credit_code, phone, website, region, address) = (
        opt(&a.credit_code),
        opt(&a.phone),
        opt(&a.website),
        opt(&a.region),
        opt(&a.address),
    );
    let tags = if a.tags.is_empty() {
        "—".to_string()
    } else {
        a.tags.join(", ")
    };
    let (created, updated, employees, owner, class) =
        (a.created_at, a.updated_at, a.employees, a.owner_id, a.class);
    let version = a.version;

    view! {
        <article class="record-card" data-id=id.to_string() data-version=version.to_string()>
            <div class="page-head">
                <h1 id="record-title">
                    {a.name.clone()}
                    <span class=format!("badge class-{}", class.as_str())>
                        {move || class_label(class, i.locale())}
                    </span>
                </h1>
                <div class="actions">
                    <A href=routes::ACCOUNTS attr:class="button">{move || i.t(K::BackToList)}</A>
                    <Show when=move || !deleted>
                        <A href=routes::account_edit_href(id) attr:class="button" attr:id="edit-account">
                            {move || i.t(K::Edit)}
                        </A>
                        <button type="button" class="danger" id="delete-account" disabled=move || busy.get() on:click=delete.clone()>
                            {move || i.t(if confirming.get() { K::ConfirmDelete } else { K::Delete })}
                        </button>
                    </Show>
                </div>
            </div>
            <Show when=move || deleted>
                <div class="notice warning" id="deleted-notice">
                    <p>{move || i.t(K::InRecycleBin)}</p>
                    <button type="button" class="primary" id="restore-account" disabled=move || busy.get() on:click=restore>
                        {move || i.t(K::Restore)}
                    </button>
                </div>
            </Show>
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
            <h2>{move || i.t(K::Details)}</h2>
            <dl class="props">
                {row(K::CreditCode, Box::new(move || credit_code.clone()))}
                {row(K::Industry, Box::new(move || industry.as_deref().map(|k| choice_label(INDUSTRIES, k, i.locale())).unwrap_or_else(|| "—".into())))}
                {row(K::Employees, Box::new(move || employees.map(|n| format_int(n.into(), i.locale())).unwrap_or_else(|| "—".into())))}
                {row(K::AnnualRevenue, Box::new(move || revenue.as_ref().map(|m| format_money(m, i.locale())).unwrap_or_else(|| "—".into())))}
                {row(K::Phone, Box::new(move || phone.clone()))}
                {row(K::Website, Box::new(move || website.clone()))}
                {row(K::Region, Box::new(move || region.clone()))}
                {row(K::Address, Box::new(move || address.clone()))}
                {row(K::Source, Box::new(move || source.as_deref().map(|k| choice_label(SOURCES, k, i.locale())).unwrap_or_else(|| "—".into())))}
                {row(K::Owner, Box::new(move || auth.user_name(owner, i.t(K::Mine))))}
                {row(K::Tags, Box::new(move || tags.clone()))}
                {row(K::CreatedAt, Box::new(move || format_datetime(&created, i.locale())))}
                {row(K::UpdatedAt, Box::new(move || format_datetime(&updated, i.locale())))}
                {row(K::Version, Box::new(move || version.to_string()))}
            </dl>
        </article>
    }
}

/// History entries, newest first, each with its field changes.
#[component]
fn HistoryList(entries: Vec<HistoryEntry>) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    if entries.is_empty() {
        return view! { <p class="empty">{move || i.t(K::NoHistory)}</p> }.into_any();
    }
    view! {
        <ol class="history-list">
            {entries
                .into_iter()
                .map(|e| {
                    let action = e.action.clone();
                    let at = e.at;
                    let actor = e.actor_id;
                    view! {
                        <li class="history-entry" data-action=e.action.clone()>
                            <div class="history-head">
                                <strong>{move || action_label(&action).map(|k| i.t(k).to_string()).unwrap_or(action.clone())}</strong>
                                <span class="who">{move || actor.map(|u| auth.user_name(u, i.t(K::Mine))).unwrap_or_default()}</span>
                                <time>{move || format_datetime(&at, i.locale())}</time>
                            </div>
                            {(!e.changes.is_empty()).then(|| view! {
                                <table class="changes">
                                    <thead>
                                        <tr>
                                            <th>{move || i.t(K::Field)}</th>
                                            <th>{move || i.t(K::Before)}</th>
                                            <th>{move || i.t(K::After)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        {e.changes.into_iter().map(|c| {
                                            let f = c.field.clone();
                                            let (f1, f2) = (c.field.clone(), c.field.clone());
                                            view! {
                                                <tr data-field=c.field.clone()>
                                                    <td>{move || field_label(&f).map(|k| i.t(k).to_string()).unwrap_or(f.clone())}</td>
                                                    <td class="old">{move || value_text(&f1, &c.old, i.locale())}</td>
                                                    <td class="new">{move || value_text(&f2, &c.new, i.locale())}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}
