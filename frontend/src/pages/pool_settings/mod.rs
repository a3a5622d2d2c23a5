//! Customer pools (公海, admins): `/admin/pools`. Each pool with its department (or the whole
//! organization), its return rules per account class, its claim limits and how many accounts
//! wait in it; added and edited in [`form`], deleted when empty (asked once more; the server's
//! 409 says why not).

mod form;

use crate::api::{self, ApiError};
use crate::components::{DeleteConfirm, ErrorNotice, Loading};
use crate::form::{Submit, SubmitNotices};
use crate::i18n::{class_label, format_int, use_i18n, I18n, Locale, K};
use crate::routes;
use crate::session::use_auth;
use domain::auth::Department;
use domain::pool::{Pool, RecycleRule};
use domain::role::Role;
use form::PoolForm;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use uuid::Uuid;

/// What the form is open for.
#[derive(Debug, Clone, PartialEq)]
enum Editing {
    New,
    Pool(Box<Pool>),
}

/// A department's name, "the whole organization" for none (tracked).
fn department_name(id: Option<Uuid>, departments: &[Department], i: I18n) -> String {
    match id {
        None => i.t(K::WholeOrganization).to_string(),
        Some(id) => departments
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| id.to_string()[..8].to_string()),
    }
}

/// A rule as a line: `潜在客户：未跟进天数 15 · 未成交天数 60`.
fn rule_text(r: &RecycleRule, i: I18n) -> String {
    let locale = i.locale();
    let parts: Vec<String> = [(K::IdleDays, r.idle_days), (K::NoWonDays, r.no_won_days)]
        .into_iter()
        .filter_map(|(k, days)| Some(format!("{} {}", i.t(k), format_int(days?.into(), locale))))
        .collect();
    let colon = if locale == Locale::Zh { "：" } else { ": " };
    format!(
        "{}{colon}{}",
        class_label(r.class, locale),
        parts.join(" · ")
    )
}

/// The claim limits as a line: `每人每日可领取 10 · 每人最多持有 不限 · …`.
fn limits_text(p: &Pool, i: I18n) -> String {
    let n = |v: i32| format_int(v.into(), i.locale());
    [
        (K::DailyClaims, n(p.daily_claims)),
        (
            K::MaxHeld,
            p.max_held.map(n).unwrap_or_else(|| i.t(K::NoLimit).into()),
        ),
        (K::WarnDays, n(p.warn_days)),
        (K::ReclaimDays, n(p.reclaim_days)),
    ]
    .into_iter()
    .map(|(k, v)| format!("{} {v}", i.t(k)))
    .collect::<Vec<_>>()
    .join(" · ")
}

#[component]
pub fn PoolSettingsPage() -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let pools = RwSignal::new(None::<Vec<Pool>>);
    let departments = RwSignal::new(Vec::<Department>::new());
    let load_error = RwSignal::new(None::<ApiError>);
    let editing = RwSignal::new(None::<Editing>);
    let confirming = RwSignal::new(None::<Uuid>);
    // The row actions (delete): their failures, a 409 among them.
    let actions = Submit::new();

    let load = move || {
        load_error.set(None);
        spawn_local(async move {
            // Departments name the pools; a role that cannot list them still sees the pools.
            if let Ok(d) = api::departments::list().await {
                let _ = departments.try_set(d);
            }
            match api::pools::list_all().await {
                Ok(all) => {
                    let _ = pools.try_set(Some(all));
                    actions.reset();
                }
                Err(e) => {
                    let _ = load_error.try_set(Some(e));
                }
            }
        });
    };
    load();
    // After a change: this list, and the pools the rest of the app shows.
    let changed = move || {
        load();
        auth.pools.refetch();
    };

    let saved = Callback::new(move |_: Pool| {
        editing.set(None);
        changed();
    });
    let delete = Callback::new(move |id: Uuid| {
        if !actions.begin() {
            return;
        }
        spawn_local(async move {
            match api::pools::delete(id).await {
                Ok(()) => {
                    confirming.set(None);
                    changed();
                }
                Err(err) => actions.fail(err),
            }
        });
    });

    let row = move |p: Pool| {
        let id = p.id;
        let edit = p.clone();
        let department = p.department_id;
        let rules = p.rules.clone();
        let limits = p.clone();
        view! {
            <tr class="pool-row" data-id=id.to_string()>
                <td class="name" data-label=move || i.t(K::Name)>
                    <A href=routes::pool_href(id)>{p.name.clone()}</A>
                </td>
                <td class="department" data-label=move || i.t(K::Department)>
                    {move || departments.with(|d| department_name(department, d, i))}
                </td>
                <td class="rules" data-label=move || i.t(K::PoolRules)>
                    {if rules.is_empty() {
                        view! { <span class="hint">{move || i.t(K::NeverReturns)}</span> }.into_any()
                    } else {
                        view! {
                            <ul class="list-plain">
                                {rules.into_iter().map(|r| {
                                    let class = r.class.as_str();
                                    view! { <li data-class=class>{move || rule_text(&r, i)}</li> }
                                }).collect_view()}
                            </ul>
                        }
                        .into_any()
                    }}
                </td>
                <td class="limits" data-label=move || i.t(K::PoolLimits)>{move || limits_text(&limits, i)}</td>
                <td class="accounts num" data-label=move || i.t(K::PoolAccounts)>{move || format_int(p.accounts, i.locale())}</td>
                <td class="row-actions">
                    <button type="button" class="link edit-pool" on:click=move |_| {
                        confirming.set(None);
                        editing.set(Some(Editing::Pool(Box::new(edit.clone()))));
                    }>
                        {move || i.t(K::Edit)}
                    </button>
                    <DeleteConfirm id confirming warning=K::PoolDeleteWarning class="delete-pool" on_delete=delete />
                </td>
            </tr>
        }
    };

    let table = move || {
        let list = pools.get().unwrap_or_default();
        if list.is_empty() {
            return view! { <p class="empty" id="no-pools">{move || i.t(K::NoPoolsYet)}</p> }
                .into_any();
        }
        view! {
            <div class="table-wrap">
                <table class="records pools-table" id="pools-table">
                    <thead>
                        <tr>
                            <th>{move || i.t(K::Name)}</th>
                            <th>{move || i.t(K::Department)}</th>
                            <th>{move || i.t(K::PoolRules)}</th>
                            <th>{move || i.t(K::PoolLimits)}</th>
                            <th>{move || i.t(K::PoolAccounts)}</th>
                            <th></th>
                        </tr>
                    </thead>
                    <tbody>{list.into_iter().map(row).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any()
    };

    let not_admin = move || auth.role().is_some_and(|r| r != Role::Admin);
    view! {
        <section class="page pool-settings-page">
            <div class="page-head">
                <h1>{move || i.t(K::PoolSettingsTitle)}</h1>
                <A href=routes::SETTINGS attr:class="button">{move || i.t(K::SettingsTitle)}</A>
            </div>
            <p class="hint">{move || i.t(K::PoolSettingsHint)}</p>
            <Show when=not_admin>
                <div class="notice info" id="admin-only">{move || i.t(K::AdminOnly)}</div>
            </Show>
            {move || match (load_error.get(), pools.with(Option::is_some)) {
                (Some(e), _) => view! { <ErrorNotice error=e on_retry=move |_| load() /> }.into_any(),
                (None, false) => view! { <Loading /> }.into_any(),
                (None, true) => view! {
                    <section class="panel" id="pools">
                        <SubmitNotices submit=actions shown=&[] on_reload=Callback::new(move |_| load()) />
                        {table}
                        {move || match editing.get() {
                            None => view! {
                                <button type="button" class="primary" id="new-pool" on:click=move |_| editing.set(Some(Editing::New))>
                                    {move || i.t(K::AddPool)}
                                </button>
                            }
                            .into_any(),
                            Some(e) => {
                                let pool = match e {
                                    Editing::New => None,
                                    Editing::Pool(p) => Some(*p),
                                };
                                view! {
                                    <PoolForm
                                        pool
                                        departments=departments.get_untracked()
                                        on_saved=saved
                                        on_cancel=Callback::new(move |_| {
                                            // It may have been reloaded meanwhile (a 412): so may the list.
                                            editing.set(None);
                                            load();
                                        })
                                    />
                                }
                                .into_any()
                            }
                        }}
                    </section>
                }
                .into_any(),
            }}
        </section>
    }
}
