//! A record's audit history: who changed what when, each field before and after.

use crate::i18n::{format_datetime, use_i18n, Locale, K};
use crate::session::use_auth;
use domain::audit::HistoryEntry;
use leptos::prelude::*;
use serde_json::Value;

fn action_label(action: &str) -> Option<K> {
    Some(match action {
        "create" => K::ActionCreate,
        "update" => K::ActionUpdate,
        "delete" => K::ActionDelete,
        "restore" => K::ActionRestore,
        _ => return None,
    })
}

/// How a record type names its fields and shows their values.
#[derive(Clone, Copy)]
pub struct FieldText {
    pub label: fn(&str) -> Option<K>,
    pub value: fn(&str, &Value, Locale) -> String,
}

/// History entries, newest first, each with its field changes.
#[component]
pub fn HistoryList(entries: Vec<HistoryEntry>, fields: FieldText) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    // Users by name; everything else as the record type shows it.
    let shown = move |field: &str, value: &Value| match value.as_str().map(str::parse::<uuid::Uuid>)
    {
        Some(Ok(user)) if field == "owner_id" => auth.user_name(user, i.t(K::Mine)),
        _ => (fields.value)(field, value, i.locale()),
    };
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
                                                    <td>{move || (fields.label)(&f).map(|k| i.t(k).to_string()).unwrap_or(f.clone())}</td>
                                                    <td class="old">{move || shown(&f1, &c.old)}</td>
                                                    <td class="new">{move || shown(&f2, &c.new)}</td>
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
