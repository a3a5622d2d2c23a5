//! My approvals (我的审批): `/approvals?tab=mine|all` — what waits for the caller's decision, and
//! every approval they submitted, approve or are copied on (an admin: all), newest first, more
//! on demand; each opens its page `/approvals/{id}` ([`detail`], decisions in [`decide`]).

mod decide;
mod detail;

pub use detail::ApprovalPage;

use crate::api::{self, approvals::Which, ApiError};
use crate::components::{ErrorNotice, Loading};
use crate::i18n::{use_i18n, Ap, K};
use crate::routes;
use crate::workflow::approval_list::ApprovalTable;
use domain::approval::Approval;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let i = use_i18n();
    let query = use_query_map();
    let mine = Memo::new(move |_| query.read().get("tab").as_deref() != Some("all"));
    let items = RwSignal::new(Vec::<Approval>::new());
    let next = RwSignal::new(None::<String>);
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let generation = StoredValue::new(0u64);
    let load = move |more: bool| {
        let which = if mine.get_untracked() {
            Which::Mine
        } else {
            Which::Involved
        };
        let cursor = more.then(|| next.get_untracked()).flatten();
        if !more {
            generation.update_value(|g| *g += 1);
            loaded.set(false);
        }
        let current = generation.get_value();
        error.set(None);
        spawn_local(async move {
            let result = api::approvals::list(which, cursor).await;
            if generation.try_get_value() != Some(current) {
                return;
            }
            match result {
                Ok(page) => {
                    let _ = next.try_set(page.next_cursor);
                    if more {
                        items.update(|v| v.extend(page.data));
                    } else {
                        let _ = items.try_set(page.data);
                    }
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
            let _ = loaded.try_set(true);
        });
    };
    Effect::new(move |_| {
        mine.track();
        load(false);
    });
    let tab = move |key: &'static str, label: Ap| {
        let active = move || (key == "mine") == mine.get();
        view! {
            <A
                href=format!("{}?tab={key}", routes::APPROVALS)
                attr:class=move || if active() { "tab active" } else { "tab" }
                attr:data-tab=key
            >
                {move || i.t(label)}
            </A>
        }
    };
    view! {
        <section class="page approvals-page">
            <div class="page-head">
                <h1>{move || i.t(Ap::MyApprovals)}</h1>
            </div>
            <nav class="tabs" id="approval-tabs">
                {tab("mine", Ap::WaitingForMe)}
                {tab("all", Ap::AllApprovals)}
            </nav>
            {move || error.get().map(|e| view! { <ErrorNotice error=e on_retry=move |_| load(false) /> })}
            {move || {
                if !loaded.get() {
                    return view! { <Loading /> }.into_any();
                }
                let approvals = items.get();
                if approvals.is_empty() {
                    return view! {
                        <p class="empty" id="no-approvals">
                            {move || i.t(if mine.get() { Ap::NothingWaiting } else { Ap::NoApprovals })}
                        </p>
                    }
                    .into_any();
                }
                view! { <ApprovalTable approvals records=true id="approvals-table" /> }.into_any()
            }}
            <Show when=move || loaded.get() && next.with(Option::is_some)>
                <button type="button" class="button load-more" id="more-approvals" on:click=move |_| load(true)>
                    {move || i.t(K::LoadMore)}
                </button>
            </Show>
        </section>
    }
}
