//! One lead on the generic record page, with what is a lead's own: its status next to its name,
//! and the conversion (or what it was converted into).

use super::convert::ConvertDialog;
use crate::api;
use crate::i18n::{use_i18n, K};
use crate::record::{PageHooks, RecordPage};
use crate::routes;
use domain::lead::{Lead, LeadStatus};
use domain::registry::fields::LEAD_STATUSES;
use domain::registry::LEAD;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use serde_json::Value;
use uuid::Uuid;

fn status_of(l: &Value) -> &str {
    l["status"].as_str().unwrap_or_default()
}

fn id_at(l: &Value, field: &str) -> Option<Uuid> {
    l[field].as_str().and_then(|s| s.parse().ok())
}

#[component]
pub fn LeadDetailPage() -> impl IntoView {
    let i = use_i18n();
    let title = move |l: Value| {
        let name = l["name"].as_str().unwrap_or_default().to_string();
        let status = LEAD_STATUSES
            .iter()
            .find(|c| c.key == status_of(&l))
            .copied();
        view! {
            {name}
            {status.map(|s| view! {
                <span class=format!("badge lead-{}", s.key)>{move || crate::registry::label(i, s.label)}</span>
            })}
        }
        .into_any()
    };
    let actions = move |(l, reload): (Value, Callback<()>)| {
        let navigate = use_navigate();
        let converting = RwSignal::new(false);
        let status = status_of(&l);
        let convertible = status != LeadStatus::Converted.as_str()
            && status != LeadStatus::Disqualified.as_str()
            && l["deleted_at"].is_null();
        let lead = serde_json::from_value::<Lead>(l).ok();
        view! {
            {(convertible && lead.is_some()).then(|| view! {
                <button type="button" class="primary" id="convert-lead" on:click=move |_| converting.set(true)>
                    {move || i.t(K::ConvertLead)}
                </button>
            })}
            {move || {
                let navigate = navigate.clone();
                lead.clone().filter(|_| converting.get()).map(|lead| view! {
                    <ConvertDialog
                        lead
                        on_done=Callback::new(move |r: domain::lead::ConvertResult| {
                            converting.set(false);
                            navigate(&routes::account_href(r.account.id), NavigateOptions::default());
                        })
                        on_cancel=Callback::new(move |_| converting.set(false))
                        on_reload=Callback::new(move |_| { converting.set(false); reload.run(()); })
                    />
                })
            }}
        }
        .into_any()
    };
    let banner = move |(l, _): (Value, Callback<()>)| {
        let converted = status_of(&l) == LeadStatus::Converted.as_str();
        let (account, contact, deal) = (
            id_at(&l, "account_id"),
            id_at(&l, "contact_id"),
            id_at(&l, "opportunity_id"),
        );
        converted
            .then(|| view! {
                <div class="notice info" id="converted-notice">
                    <p>{move || i.t(K::ConvertedInto)}</p>
                    <p>
                        {account.map(|a| view! { <A href=routes::account_href(a) attr:id="converted-account">{move || i.t(K::Account)}</A> " " })}
                        {contact.map(|c| view! { <A href=routes::contact_href(c) attr:id="converted-contact">{move || i.t(K::Contact)}</A> " " })}
                        {deal.map(|o| view! { <A href=routes::opportunity_href(o) attr:id="converted-opportunity">{move || i.t(K::NavOpportunities)}</A> })}
                    </p>
                </div>
            })
            .into_any()
    };
    let hooks = PageHooks {
        title: Some(Callback::new(title)),
        actions: Some(Callback::new(actions)),
        banner: Some(Callback::new(banner)),
        ..PageHooks::default()
    };
    view! {
        <RecordPage
            entity=&LEAD
            resource=api::leads::LEADS.json()
            list_href=routes::LEADS
            edit_href=routes::lead_edit_href
            hooks
        />
    }
}
