//! One lead: its fields, conversion (or what it was converted into), history.

use super::convert::ConvertDialog;
use super::{status_label, FIELDS};
use crate::api;
use crate::components::{region_label, use_retry, HistoryList, Loading, RecordActions};
use crate::custom::view::CustomValuesView;
use crate::custom::{plural_of, Meta};
use crate::i18n::{choice_label, format_datetime, use_i18n, K};
use crate::pages::record::{not_found, use_id_param};
use crate::routes;
use crate::session::use_auth;
use domain::lead::{Lead, LeadStatus};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

#[component]
pub fn LeadDetailPage() -> impl IntoView {
    let meta = Meta::load(plural_of(api::leads::PATH));
    let i = use_i18n();
    let retry = use_retry();
    let id = use_id_param();
    let lead = LocalResource::new(move || {
        retry.track();
        let id = id.get();
        async move {
            match id {
                Some(id) => api::leads::LEADS.get_any(id).await,
                None => Err(not_found()),
            }
        }
    });
    let history = LocalResource::new(move || {
        retry.track();
        let id = id.get();
        async move {
            match id {
                Some(id) => api::leads::LEADS.history(id).await.map(|p| p.data),
                None => Ok(Vec::new()),
            }
        }
    });
    let refresh = move || {
        lead.refetch();
        history.refetch();
    };
    view! {
        <section class="page lead-detail">
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    lead.await.map(|(l, etag)| view! { <LeadCard lead=l etag meta on_change=Callback::new(move |_| refresh()) /> })
                })}
            </Transition>
            {move || id.get().map(|id| view! { <crate::components::Timeline entity=domain::activity::EntityType::LEAD id /> })}
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
fn LeadCard(
    lead: Lead,
    meta: Meta,
    etag: Option<String>,
    on_change: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let navigate = use_navigate();
    let converting = RwSignal::new(false);
    let l = lead.clone();
    let id = l.id;
    let status = l.status;
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_string());
    let (company, title, phone, email, address, description) = (
        dash(&l.company),
        dash(&l.title),
        dash(&l.phone),
        dash(&l.email),
        dash(&l.address),
        dash(&l.description),
    );
    let region = l.region.clone();
    let (industry, source, reason) = (
        l.industry.clone(),
        l.source.clone(),
        l.disqualify_reason.clone(),
    );
    let (owner, created, updated) = (l.owner_id, l.created_at, l.updated_at);
    let convertible = !matches!(status, LeadStatus::Converted | LeadStatus::Disqualified)
        && l.deleted_at.is_none();
    let links = (l.account_id, l.contact_id, l.opportunity_id);
    let label = move |table, key: &Option<String>| {
        key.as_deref()
            .map(|k| choice_label(table, k, i.locale()))
            .unwrap_or_else(|| "—".into())
    };
    let dialog_lead = lead.clone();
    view! {
        <article class="record-card" data-id=id.to_string() data-status=status.as_str()>
            <div class="page-head">
                <h1 id="record-title">
                    {l.name.clone()}
                    <span class=format!("badge lead-{}", status.as_str())>{move || status_label(status, i.locale())}</span>
                </h1>
                <Show when=move || convertible>
                    <button type="button" class="primary" id="convert-lead" on:click=move |_| converting.set(true)>
                        {move || i.t(K::ConvertLead)}
                    </button>
                </Show>
                <RecordActions
                    resource=api::leads::LEADS
                    record=lead
                    id
                    etag
                    deleted=l.deleted_at.is_some()
                    back_href=routes::LEADS
                    edit_href=routes::lead_edit_href(id)
                    on_change
                />
            </div>
            {move || (status == LeadStatus::Converted).then(|| view! {
                <div class="notice info" id="converted-notice">
                    <p>{move || i.t(K::ConvertedInto)}</p>
                    <p>
                        {links.0.map(|a| view! { <A href=routes::account_href(a) attr:id="converted-account">{move || i.t(K::Account)}</A> " " })}
                        {links.1.map(|c| view! { <A href=routes::contact_href(c) attr:id="converted-contact">{move || i.t(K::Contact)}</A> " " })}
                        {links.2.map(|o| view! { <A href=routes::opportunity_href(o) attr:id="converted-opportunity">{move || i.t(K::NavOpportunities)}</A> })}
                    </p>
                </div>
            })}
            <dl class="props">
                <div class="prop"><dt>{move || i.t(K::Company)}</dt><dd>{company}</dd></div>
                <div class="prop"><dt>{move || i.t(K::JobTitle)}</dt><dd>{title}</dd></div>
                <div class="prop"><dt>{move || i.t(K::Phone)}</dt><dd>{phone}</dd></div>
                <div class="prop"><dt>{move || i.t(K::Email)}</dt><dd>{email}</dd></div>
                <div class="prop"><dt>{move || i.t(K::Industry)}</dt><dd>{move || label("industry", &industry)}</dd></div>
                <div class="prop"><dt>{move || i.t(K::Source)}</dt><dd>{move || label("source", &source)}</dd></div>
                <div class="prop"><dt>{move || i.t(K::Region)}</dt><dd>{move || region.as_deref().map(|c| region_label(c, i.locale())).unwrap_or_else(|| "—".into())}</dd></div>
                <div class="prop"><dt>{move || i.t(K::Address)}</dt><dd>{address}</dd></div>
                <Show when=move || status == LeadStatus::Disqualified>
                    <div class="prop"><dt>{move || i.t(K::DisqualifyReason)}</dt><dd>{
                        let reason = reason.clone();
                        move || label("disqualify_reason", &reason)
                    }</dd></div>
                </Show>
                <div class="prop"><dt>{move || i.t(K::Owner)}</dt><dd>{move || auth.user_name(owner, i.t(K::Mine))}</dd></div>
                <div class="prop"><dt>{move || i.t(K::CreatedAt)}</dt><dd>{move || format_datetime(&created, i.locale())}</dd></div>
                <div class="prop"><dt>{move || i.t(K::UpdatedAt)}</dt><dd>{move || format_datetime(&updated, i.locale())}</dd></div>
                <div class="prop wide"><dt>{move || i.t(K::Description)}</dt><dd>{description}</dd></div>
            </dl>
            <CustomValuesView meta values=l.custom.clone() />
            {move || {
                let navigate = navigate.clone();
                converting.get().then(|| view! {
                    <ConvertDialog
                        lead=dialog_lead.clone()
                        on_done=Callback::new(move |r: domain::lead::ConvertResult| {
                            converting.set(false);
                            navigate(&routes::account_href(r.account.id), NavigateOptions::default());
                        })
                        on_cancel=Callback::new(move |_| converting.set(false))
                        on_reload=Callback::new(move |_| { converting.set(false); on_change.run(()); })
                    />
                })
            }}
        </article>
    }
}
