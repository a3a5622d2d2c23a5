//! Background jobs (后台任务, admins): the organization's jobs, newest first, by state — with
//! their progress, attempts and last error — and a retry for a dead one.

use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, Loading};
use crate::i18n::{format_datetime, format_int, use_i18n, K};
use domain::job::{Job, JobState};
use leptos::prelude::*;
use leptos::task::spawn_local;

fn state_label(s: JobState) -> K {
    match s {
        JobState::Queued => K::JobQueued,
        JobState::Running => K::JobRunning,
        JobState::Done => K::JobDone,
        JobState::Dead => K::JobDead,
    }
}

/// The jobs shown: a page, then more on demand.
#[derive(Clone, Copy)]
struct Jobs {
    state: RwSignal<Option<JobState>>,
    items: RwSignal<Vec<Job>>,
    next: RwSignal<Option<String>>,
    loaded: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
}

impl Jobs {
    fn load(&self, more: bool) {
        let me = *self;
        let cursor = if more { me.next.get_untracked() } else { None };
        if !more {
            me.loaded.set(false);
        }
        spawn_local(async move {
            match api::jobs::list(me.state.get_untracked(), cursor.as_deref()).await {
                Ok(page) => {
                    let _ = me.error.try_set(None);
                    let _ = me.next.try_set(page.next_cursor);
                    if more {
                        me.items.update(|v| v.extend(page.data));
                    } else {
                        let _ = me.items.try_set(page.data);
                    }
                }
                Err(e) => {
                    let _ = me.error.try_set(Some(e));
                }
            }
            let _ = me.loaded.try_set(true);
        });
    }
}

#[component]
pub fn JobsPage() -> impl IntoView {
    let i = use_i18n();
    let jobs = Jobs {
        state: RwSignal::new(None),
        items: RwSignal::new(Vec::new()),
        next: RwSignal::new(None),
        loaded: RwSignal::new(false),
        error: RwSignal::new(None),
    };
    jobs.load(false);
    let tab = move |s: Option<JobState>| {
        let label = move || s.map_or(i.t(K::JobAll), |s| i.t(state_label(s)));
        let key = s.map_or("all", JobState::as_str);
        view! {
            <button
                type="button"
                data-state=key
                class=move || if jobs.state.get() == s { "tab active" } else { "tab" }
                on:click=move |_| {
                    jobs.state.set(s);
                    jobs.load(false);
                }
            >
                {label}
            </button>
        }
    };
    let retry = move |id| {
        spawn_local(async move {
            match api::jobs::retry(id).await {
                Ok(_) => jobs.load(false),
                Err(e) => jobs.error.set(Some(e)),
            }
        });
    };
    let row = move |j: Job| {
        let locale = i.locale();
        let progress = match j.total {
            Some(t) => format!("{} / {}", format_int(j.done, locale), format_int(t, locale)),
            None if j.done > 0 => format_int(j.done, locale),
            None => String::new(),
        };
        let rate = j.rate.map(|r| format!("{r:.1}/s")).unwrap_or_default();
        let kind = if j.kind == "maintenance" {
            i.t(K::JobMaintenance).to_string()
        } else {
            j.kind.clone()
        };
        let dead = j.state == JobState::Dead;
        let id = j.id;
        view! {
            <tr data-id=j.id.to_string() data-state=j.state.as_str()>
                <td class="kind">{kind}</td>
                <td><span class=format!("badge job-{}", j.state.as_str())>{move || i.t(state_label(j.state))}</span></td>
                <td class="num">{progress} " " <small>{rate}</small></td>
                <td class="num">{format!("{} / {}", j.attempt, j.max_attempts)}</td>
                <td class="error">{j.last_error.clone().unwrap_or_default()}</td>
                <td>{format_datetime(&j.created_at, locale)}</td>
                <td>{j.finished_at.map(|t| format_datetime(&t, locale)).unwrap_or_default()}</td>
                <td>
                    {dead.then(|| view! {
                        <button type="button" class="link retry" on:click=move |_| retry(id)>{move || i.t(K::JobRetry)}</button>
                    })}
                </td>
            </tr>
        }
    };
    view! {
        <section class="page jobs-page">
            <div class="page-head">
                <h1>{move || i.t(K::JobsTitle)}</h1>
            </div>
            <p class="hint">{move || i.t(K::JobsHint)}</p>
            <nav class="tabs" id="job-states">
                {tab(None)}
                {JobState::ALL.into_iter().map(|s| tab(Some(s))).collect_view()}
            </nav>
            {move || jobs.error.get().map(|e| view! { <ErrorNotice error=e on_retry=move |_| jobs.load(false) /> })}
            <Show when=move || jobs.loaded.get() fallback=|| view! { <Loading /> }>
                <div class="table-wrap">
                    <table class="records" id="jobs-table">
                        <thead>
                            <tr>
                                <th>{move || i.t(K::JobKind)}</th>
                                <th>{move || i.t(K::JobState)}</th>
                                <th class="num">{move || i.t(K::JobProgress)}</th>
                                <th class="num">{move || i.t(K::JobAttempts)}</th>
                                <th>{move || i.t(K::JobLastError)}</th>
                                <th>{move || i.t(K::CreatedAt)}</th>
                                <th>{move || i.t(K::JobFinished)}</th>
                                <th></th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || jobs.items.get().into_iter().map(row).collect_view()}
                        </tbody>
                    </table>
                </div>
                <Show when=move || jobs.items.with(Vec::is_empty)>
                    <p class="empty" id="no-jobs">{move || i.t(K::NoJobs)}</p>
                </Show>
                <Show when=move || jobs.next.with(Option::is_some)>
                    <button type="button" class="button" id="more-jobs" on:click=move |_| jobs.load(true)>
                        {move || i.t(K::LoadMore)}
                    </button>
                </Show>
            </Show>
        </section>
    }
}
