//! One account on the generic record page: its class next to its name, its customer pool (the
//! pool it waits in, or when it returns to one, and releasing it, see [`super::pool`]), and its
//! contacts and opportunities as related lists.

use crate::api;
use crate::components::{use_retry, Loading};
use crate::i18n::{format_date, format_money, stage_label, use_i18n, K};
use crate::record::{PageHooks, RecordPage};
use crate::routes;
use crate::session::use_auth;
use domain::contact::Contact;
use domain::opportunity::Opportunity;
use domain::registry::fields::ACCOUNT_CLASSES;
use domain::registry::ACCOUNT;
use leptos::prelude::*;
use leptos_router::components::A;
use serde_json::Value;
use uuid::Uuid;

#[component]
pub fn AccountDetailPage() -> impl IntoView {
    let i = use_i18n();
    let title = move |a: Value| {
        let name = a["name"].as_str().unwrap_or_default().to_string();
        let class = ACCOUNT_CLASSES
            .iter()
            .find(|c| a["class"].as_str() == Some(c.key))
            .copied();
        view! {
            {name}
            {class.map(|c| view! {
                <span class=format!("badge class-{}", c.key)>
                    {move || crate::registry::label(i, c.label)}
                </span>
            })}
        }
        .into_any()
    };
    let related = move |(id, _): (Uuid, Signal<u32>)| {
        view! {
            <div class="sections">
                <AccountContacts id />
                <AccountOpportunities id />
            </div>
        }
        .into_any()
    };
    let hooks = PageHooks {
        title: Some(Callback::new(title)),
        related: Some(Callback::new(related)),
        banner: Some(Callback::new(super::pool::pool_banner)),
        actions: Some(Callback::new(super::pool::release_action)),
        ..PageHooks::default()
    };
    view! {
        <RecordPage
            entity=&ACCOUNT
            resource=api::accounts::ACCOUNTS.json()
            list_href=routes::ACCOUNTS
            edit_href=routes::account_edit_href
            hooks
        />
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
