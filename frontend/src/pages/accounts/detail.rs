//! One account: its fields, its contacts and opportunities, its history; delete and restore.

use super::record::{not_found, use_id_param};
use super::FIELDS;
use crate::api;
use crate::components::{region_label, use_retry, HistoryList, Loading, RecordActions};
use crate::custom::view::CustomValuesView;
use crate::custom::{plural_of, Meta};
use crate::i18n::{
    choice_label, class_label, format_date, format_datetime, format_int, format_money, stage_label,
    use_i18n, K,
};
use crate::routes;
use crate::session::use_auth;
use domain::account::Account;
use domain::contact::Contact;
use domain::opportunity::Opportunity;
use leptos::prelude::*;
use leptos_router::components::A;
use uuid::Uuid;

#[component]
pub fn AccountDetailPage() -> impl IntoView {
    let meta = Meta::load(plural_of(api::accounts::PATH));
    let i = use_i18n();
    let retry = use_retry();
    let id = use_id_param();
    let account = LocalResource::new(move || {
        retry.track();
        let id = id.get();
        async move {
            match id {
                Some(id) => api::accounts::ACCOUNTS.get_any(id).await,
                None => Err(not_found()),
            }
        }
    });
    let history = LocalResource::new(move || {
        retry.track();
        let id = id.get();
        async move {
            match id {
                Some(id) => api::accounts::ACCOUNTS.history(id).await.map(|p| p.data),
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
                    account.await.map(|(a, etag)| view! { <AccountCard account=a etag meta on_change=Callback::new(move |_| refresh()) /> })
                })}
            </Transition>
            {move || id.get().map(|id| view! {
                <div class="sections">
                    <AccountContacts id />
                    <AccountOpportunities id />
                </div>
            })}
            {move || id.get().map(|id| view! { <crate::components::Timeline entity=domain::activity::EntityType::ACCOUNT id /> })}
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

/// The account's fields and actions.
#[component]
fn AccountCard(
    account: Account,
    meta: Meta,
    etag: Option<String>,
    on_change: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let id = account.id;
    let deleted = account.deleted_at.is_some();
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
    let (credit_code, phone, website, address) = (
        opt(&a.credit_code),
        opt(&a.phone),
        opt(&a.website),
        opt(&a.address),
    );
    let region = a.region.clone();
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
                <RecordActions
                    resource=api::accounts::ACCOUNTS
                    record=account
                    id
                    etag
                    deleted
                    back_href=routes::ACCOUNTS
                    edit_href=routes::account_edit_href(id)
                    on_change
                />
            </div>
            <h2>{move || i.t(K::Details)}</h2>
            <dl class="props">
                {row(K::CreditCode, Box::new(move || credit_code.clone()))}
                {row(K::Industry, Box::new(move || industry.as_deref().map(|k| choice_label("industry", k, i.locale())).unwrap_or_else(|| "—".into())))}
                {row(K::Employees, Box::new(move || employees.map(|n| format_int(n.into(), i.locale())).unwrap_or_else(|| "—".into())))}
                {row(K::AnnualRevenue, Box::new(move || revenue.as_ref().map(|m| format_money(m, i.locale())).unwrap_or_else(|| "—".into())))}
                {row(K::Phone, Box::new(move || phone.clone()))}
                {row(K::Website, Box::new(move || website.clone()))}
                {row(K::Region, Box::new(move || region.as_deref().map(|c| region_label(c, i.locale())).unwrap_or_else(|| "—".into())))}
                {row(K::Address, Box::new(move || address.clone()))}
                {row(K::Source, Box::new(move || source.as_deref().map(|k| choice_label("source", k, i.locale())).unwrap_or_else(|| "—".into())))}
                {row(K::Owner, Box::new(move || auth.user_name(owner, i.t(K::Mine))))}
                {row(K::Tags, Box::new(move || tags.clone()))}
                {row(K::CreatedAt, Box::new(move || format_datetime(&created, i.locale())))}
                {row(K::UpdatedAt, Box::new(move || format_datetime(&updated, i.locale())))}
                {row(K::Version, Box::new(move || version.to_string()))}
            </dl>
            <CustomValuesView meta values=a.custom.clone() />
        </article>
    }
}

/// The first contacts at the account, a link to all of them, and "new contact" preset to it.
#[component]
fn AccountContacts(id: Uuid) -> impl IntoView {
    let i = use_i18n();
    let retry = use_retry();
    let page = LocalResource::new(move || {
        retry.track();
        async move {
            api::records::Resource::<Contact>::page(
                &api::contacts::of_account(id),
                &[
                    ("limit".into(), "10".into()),
                    ("sort".into(), "name".into()),
                ],
            )
            .await
        }
    });
    view! {
        <section class="related panel" id="account-contacts">
            <div class="related-head">
                <h2>{move || i.t(K::ContactsTitle)}</h2>
                <A href=routes::new_contact_for(id) attr:class="button" attr:id="new-contact-here">
                    {move || i.t(K::NewContact)}
                </A>
            </div>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    page.await.map(|p| {
                        let total = p.total.unwrap_or(p.data.len() as i64);
                        if p.data.is_empty() {
                            return view! { <p class="empty">{move || i.t(K::NoContactsYet)}</p> }.into_any();
                        }
                        view! {
                            <ul class="list-plain">
                                {p.data.into_iter().map(|c| view! {
                                    <li data-id=c.id.to_string()>
                                        <A href=routes::contact_href(c.id)>{c.name.clone()}</A>
                                        <span class="subtitle">{c.title.clone().unwrap_or_default()} " " {c.phones.first().cloned().unwrap_or_default()}</span>
                                    </li>
                                }).collect_view()}
                            </ul>
                            <A href=routes::contacts_of(id)>{move || i.t_n(K::ViewAll, total)}</A>
                        }.into_any()
                    })
                })}
            </Transition>
        </section>
    }
}

/// The account's opportunities: stage, amount, expected close.
#[component]
fn AccountOpportunities(id: Uuid) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let retry = use_retry();
    let page = LocalResource::new(move || {
        retry.track();
        async move {
            api::records::Resource::<Opportunity>::page(
                &api::opportunities::of_account(id),
                &[("limit".into(), "10".into())],
            )
            .await
        }
    });
    view! {
        <section class="related panel" id="account-opportunities">
            <div class="related-head">
                <h2>{move || i.t(K::OpportunitiesTitle)}</h2>
                <A href=routes::new_opportunity_for(id) attr:class="button" attr:id="new-opportunity-here">
                    {move || i.t(K::NewOpportunity)}
                </A>
            </div>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    page.await.map(|p| {
                        let total = p.total.unwrap_or(p.data.len() as i64);
                        if p.data.is_empty() {
                            return view! { <p class="empty">{move || i.t(K::NoOpportunitiesYet)}</p> }.into_any();
                        }
                        view! {
                            <ul class="list-plain">
                                {p.data.into_iter().map(|o| {
                                    let stage = o.stage_id;
                                    let amount = o.amount.clone();
                                    let close = o.expected_close;
                                    view! {
                                        <li data-id=o.id.to_string()>
                                            <A href=routes::opportunity_href(o.id)>{o.name.clone()}</A>
                                            <span class="subtitle">
                                                {move || auth.stage(stage).map(|s| stage_label(&s.name, i.locale())).unwrap_or_default()}
                                                " · "
                                                {move || amount.as_ref().map(|m| format_money(m, i.locale())).unwrap_or_default()}
                                                {move || close.map(|d| format!(" · {}", format_date(&d, i.locale()))).unwrap_or_default()}
                                            </span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            <A href=routes::opportunities_of(id)>{move || i.t_n(K::ViewAll, total)}</A>
                        }.into_any()
                    })
                })}
            </Transition>
        </section>
    }
}
