//! Taking accounts out of a pool: the bar above the pool's list (which pool, the caller's quota
//! `今日已领取 3/10，持有 12/50`, claiming the ticked rows, and for a manager or an admin assigning
//! them to a member chosen with the owner picker) and each row's tick and claim. What was taken
//! leaves the list at once; a refusal (409: claimed meanwhile, a limit passed) shows the
//! server's reason and the list is read again.

use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, OwnerSelect};
use crate::i18n::{format_int, use_i18n, I18n, Locale, K};
use crate::list::{ListState, Row};
use crate::routes::{self, POOL_FILTER};
use crate::session::use_auth;
use domain::pool::ClaimQuota;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use uuid::Uuid;

/// What was taken last: how many, and whether they were assigned (else claimed).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Taken {
    n: usize,
    assigned: bool,
}

/// The page's taking state: the pool shown, the ticked rows, the caller's quota, the last outcome.
#[derive(Clone, Copy)]
pub struct Taking {
    pool: Memo<Option<Uuid>>,
    selected: RwSignal<Vec<Uuid>>,
    quota: RwSignal<Option<ClaimQuota>>,
    /// The member a manager assigns to (a user id, "" for none yet).
    assignee: RwSignal<String>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    taken: RwSignal<Option<Taken>>,
}

impl Taking {
    /// Starts over (nothing ticked, the quota read again) whenever the pool changes.
    pub fn new(pool: Memo<Option<Uuid>>) -> Taking {
        let taking = Taking {
            pool,
            selected: RwSignal::new(Vec::new()),
            quota: RwSignal::new(None),
            assignee: RwSignal::new(String::new()),
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
            taken: RwSignal::new(None),
        };
        Effect::new(move |_| {
            let Some(id) = pool.get() else { return };
            taking.selected.set(Vec::new());
            taking.error.set(None);
            taking.taken.set(None);
            taking.quota.set(None);
            spawn_local(async move {
                if let Ok(q) = api::pools::quota(id).await {
                    if taking.pool.try_get_untracked() == Some(Some(id)) {
                        let _ = taking.quota.try_set(Some(q));
                    }
                }
            });
        });
        taking
    }

    /// The ticked rows still in the list (tracked).
    fn chosen(self, list: ListState<Row>) -> Vec<Uuid> {
        let ticked = self.selected.get();
        list.items.with(|rows| {
            rows.iter()
                .map(|r| r.id)
                .filter(|id| ticked.contains(id))
                .collect()
        })
    }

    /// Claims `ids` for the caller, or assigns them to `to`.
    fn take(self, list: ListState<Row>, ids: Vec<Uuid>, to: Option<Uuid>) {
        let Some(pool) = self.pool.get_untracked() else {
            return;
        };
        if ids.is_empty() || self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.error.set(None);
        self.taken.set(None);
        spawn_local(async move {
            let result = match to {
                None => api::pools::claim(pool, ids).await,
                Some(owner) => api::pools::assign(pool, ids, owner).await,
            };
            let _ = self.busy.try_set(false);
            match result {
                Ok(done) => {
                    let gone = done.account_ids;
                    let _ = list
                        .items
                        .try_update(|rows| rows.retain(|r| !gone.contains(&r.id)));
                    let _ = list.total.try_update(|t| {
                        if let Some(t) = t {
                            *t = (*t - gone.len() as i64).max(0);
                        }
                    });
                    let _ = self
                        .selected
                        .try_update(|s| s.retain(|id| !gone.contains(id)));
                    if to.is_none() {
                        let _ = self.quota.try_set(Some(done.quota));
                    }
                    let _ = self.taken.try_set(Some(Taken {
                        n: gone.len(),
                        assigned: to.is_some(),
                    }));
                }
                Err(e) => {
                    if e.status() == Some(409) {
                        list.reload();
                    }
                    let _ = self.error.try_set(Some(e));
                }
            }
        });
    }
}

/// `今日已领取 3/10，持有 12/50` (`持有 12` without a limit).
fn quota_text(q: &ClaimQuota, i: I18n) -> String {
    let n = |v: i64| format_int(v, i.locale());
    let claims = i
        .t(K::PoolQuotaClaims)
        .replace("{a}", &n(q.claimed_today))
        .replace("{b}", &n(q.daily_claims.into()));
    let held = match q.max_held {
        Some(max) => i.t(K::PoolQuotaHeld).replace("{b}", &n(max.into())),
        None => i.t(K::PoolQuotaHeldFree).to_string(),
    }
    .replace("{a}", &n(q.held));
    let sep = if i.locale() == Locale::Zh {
        "，"
    } else {
        ", "
    };
    format!("{claims}{sep}{held}")
}

/// Above the pool's list: which pool, the quota, the ticked rows' claim and assignment.
#[component]
pub fn PoolBar(taking: Taking, list: ListState<Row>) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let pools = move || auth.pools.get().unwrap_or_default();
    let choose = move |ev| {
        let id = event_target_value(&ev);
        let q = list.query.get_untracked().without_filters();
        list.go(q.with_filter(POOL_FILTER, Some(id)));
    };
    let chooser = move || {
        let all = pools();
        let current = taking.pool.get();
        if all.len() < 2 {
            let name = current.map(|id| auth.pool_name(id)).unwrap_or_default();
            return view! { <strong class="pool-name" id="pool-name">{name}</strong> }.into_any();
        }
        view! {
            <select id="pool-choice" aria-label=move || i.t(K::PoolChoice) on:change=choose>
                {all.into_iter().map(|p| {
                    view! { <option value=p.id.to_string() selected=current == Some(p.id)>{p.name}</option> }
                }).collect_view()}
            </select>
        }
        .into_any()
    };
    let count = move || taking.chosen(list).len() as i64;
    let assign = move |_| {
        let to = taking.assignee.get_untracked().parse::<Uuid>().ok();
        if to.is_some() {
            taking.take(list, taking.chosen(list), to);
        }
    };
    let taken = move || {
        taking.taken.get().map(|t| {
            let mine = auth.my_id().map(routes::accounts_of_owner);
            view! {
                <div class="notice info" id="taken-notice">
                    {move || i.t_n(if t.assigned { K::Assigned } else { K::Claimed }, t.n as i64)}
                    {(!t.assigned).then(|| mine.map(|href| view! {
                        " " <A href attr:id="claimed-view">{move || i.t(K::ClaimedView)}</A>
                    }))}
                </div>
            }
        })
    };
    view! {
        <div class="pool-bar" id="pool-bar">
            {chooser}
            <span class="pool-quota" id="pool-quota">
                {move || taking.quota.get().map(|q| quota_text(&q, i))}
            </span>
            <button
                type="button"
                class="primary"
                id="claim-selected"
                disabled=move || count() == 0 || taking.busy.get()
                on:click=move |_| taking.take(list, taking.chosen(list), None)
            >
                {move || i.t_n(K::ClaimSelected, count())}
            </button>
            <Show when=move || auth.manages()>
                <span class="pool-assign">
                    <label for="assign-to">{move || i.t(K::AssignTo)}</label>
                    <OwnerSelect id="assign-to" value=taking.assignee blank_is_me=false blank=K::ChooseMember />
                    <button
                        type="button"
                        id="assign-selected"
                        disabled=move || count() == 0 || taking.busy.get() || taking.assignee.with(String::is_empty)
                        on:click=assign
                    >
                        {move || i.t_n(K::AssignSelected, count())}
                    </button>
                </span>
            </Show>
        </div>
        <p class="hint pools-hint">{move || i.t(K::PoolsHint)}</p>
        {move || taking.error.get().map(|e| view! { <ErrorNotice error=e /> })}
        {taken}
    }
}

/// A row's tick (for the bar's actions) and its own claim.
#[component]
pub fn RowTaking(taking: Taking, row: Row, list: ListState<Row>) -> impl IntoView {
    let i = use_i18n();
    let id = row.id;
    let toggle = move |ev| {
        let on = event_target_checked(&ev);
        taking.selected.update(|s| {
            s.retain(|x| *x != id);
            if on {
                s.push(id);
            }
        });
    };
    view! {
        <label class="select-row">
            <input
                type="checkbox"
                class="select-account"
                aria-label=move || i.t(K::SelectRow)
                prop:checked=move || taking.selected.with(|s| s.contains(&id))
                on:change=toggle
            />
        </label>
        " "
        <button
            type="button"
            class="link claim-one"
            disabled=move || taking.busy.get()
            on:click=move |_| taking.take(list, vec![id], None)
        >
            {move || i.t(K::Claim)}
        </button>
    }
}
