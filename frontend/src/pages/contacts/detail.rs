//! One contact: fields, the account, history; delete and restore.

use super::FIELDS;
use crate::api;
use crate::components::{use_retry, HistoryList, Loading, RecordActions};
use crate::custom::view::CustomValuesView;
use crate::custom::{plural_of, Meta};
use crate::i18n::{format_date, format_datetime, use_i18n, K};
use crate::pages::record::{not_found, use_id_param};
use crate::routes;
use crate::session::use_auth;
use domain::contact::Contact;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

#[component]
pub fn ContactDetailPage() -> impl IntoView {
    let meta = Meta::load(plural_of(api::contacts::PATH));
    let i = use_i18n();
    let retry = use_retry();
    let id = use_id_param();
    let contact = LocalResource::new(move || {
        retry.track();
        let id = id.get();
        async move {
            match id {
                Some(id) => api::contacts::CONTACTS.get_any(id).await,
                None => Err(not_found()),
            }
        }
    });
    let history = LocalResource::new(move || {
        retry.track();
        let id = id.get();
        async move {
            match id {
                Some(id) => api::contacts::CONTACTS.history(id).await.map(|p| p.data),
                None => Ok(Vec::new()),
            }
        }
    });
    let refresh = move || {
        contact.refetch();
        history.refetch();
    };
    view! {
        <section class="page contact-detail">
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    contact.await.map(|(c, etag)| view! { <ContactCard contact=c etag meta on_change=Callback::new(move |_| refresh()) /> })
                })}
            </Transition>
            {move || id.get().map(|id| view! { <crate::components::Timeline entity=domain::activity::EntityType::CONTACT id /> })}
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
fn ContactCard(
    contact: Contact,
    meta: Meta,
    etag: Option<String>,
    on_change: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let c = contact.clone();
    let id = c.id;
    let account_name = RwSignal::new(String::new());
    if let Some(a) = c.account_id {
        spawn_local(async move {
            if let Ok(r) = api::accounts::ACCOUNTS.get(a).await {
                account_name.set(r.body.name);
            }
        });
    }
    let dash = |v: String| if v.is_empty() { "—".to_string() } else { v };
    let (phones, emails) = (dash(c.phones.join(", ")), dash(c.emails.join(", ")));
    let (title, wechat, tags) = (
        dash(c.title.clone().unwrap_or_default()),
        dash(c.wechat.clone().unwrap_or_default()),
        dash(c.tags.join(", ")),
    );
    let (birthday, owner, created, updated) = (c.birthday, c.owner_id, c.created_at, c.updated_at);
    view! {
        <article class="record-card" data-id=id.to_string() data-version=c.version.to_string()>
            <div class="page-head">
                <h1 id="record-title">{c.name.clone()}</h1>
                <RecordActions
                    resource=api::contacts::CONTACTS
                    record=contact
                    id
                    etag
                    deleted=c.deleted_at.is_some()
                    back_href=routes::CONTACTS
                    edit_href=routes::contact_edit_href(id)
                    on_change
                />
            </div>
            <dl class="props">
                <div class="prop"><dt>{move || i.t(K::JobTitle)}</dt><dd>{title}</dd></div>
                <div class="prop">
                    <dt>{move || i.t(K::Account)}</dt>
                    <dd id="contact-account">
                        {match c.account_id {
                            Some(a) => view! { <A href=routes::account_href(a)>{move || account_name.get()}</A> }.into_any(),
                            None => view! { "—" }.into_any(),
                        }}
                    </dd>
                </div>
                <div class="prop"><dt>{move || i.t(K::Phones)}</dt><dd>{phones}</dd></div>
                <div class="prop"><dt>{move || i.t(K::Emails)}</dt><dd>{emails}</dd></div>
                <div class="prop"><dt>{move || i.t(K::Wechat)}</dt><dd>{wechat}</dd></div>
                <div class="prop">
                    <dt>{move || i.t(K::Birthday)}</dt>
                    <dd>{move || birthday.map(|d| format_date(&d, i.locale())).unwrap_or_else(|| "—".into())}</dd>
                </div>
                <div class="prop"><dt>{move || i.t(K::Owner)}</dt><dd>{move || auth.user_name(owner, i.t(K::Mine))}</dd></div>
                <div class="prop"><dt>{move || i.t(K::Tags)}</dt><dd>{tags}</dd></div>
                <div class="prop"><dt>{move || i.t(K::CreatedAt)}</dt><dd>{move || format_datetime(&created, i.locale())}</dd></div>
                <div class="prop"><dt>{move || i.t(K::UpdatedAt)}</dt><dd>{move || format_datetime(&updated, i.locale())}</dd></div>
            </dl>
            <CustomValuesView meta values=c.custom.clone() />
        </article>
    }
}
