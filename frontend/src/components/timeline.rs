//! A record's timeline (activities, stage changes, field changes; newest first, paged) with the
//! form to log a call, visit, meeting, email, note or task right there.

use crate::api::{self, ApiError};
use crate::components::{action_label, actor_text, ErrorNotice, FieldText, Loading};
use crate::form::{opt_text, FormField, Submit, SubmitNotices};
use crate::i18n::{format_datetime, stage_label, use_i18n, Locale, K};
use crate::routes;
use crate::session::use_auth;
use chrono::{DateTime, Utc};
use domain::activity::{Activity, ActivityInput, ActivityKind, EntityType, TaskStatus};
use domain::audit::FieldChange;
use domain::timeline::{TimelineItem, TimelineKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use uuid::Uuid;

pub fn kind_label(kind: ActivityKind, locale: Locale) -> &'static str {
    let (zh, en) = match kind {
        ActivityKind::Call => ("电话", "Call"),
        ActivityKind::Visit => ("拜访", "Visit"),
        ActivityKind::Meeting => ("会议", "Meeting"),
        ActivityKind::Email => ("邮件", "Email"),
        ActivityKind::Note => ("备注", "Note"),
        ActivityKind::Task => ("任务", "Task"),
    };
    match locale {
        Locale::Zh => zh,
        Locale::En => en,
    }
}

/// A `datetime-local` input's value (the browser's time zone) as a UTC time.
pub fn local_input_to_utc(value: &str) -> Option<DateTime<Utc>> {
    if value.trim().is_empty() {
        return None;
    }
    let ms = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value)).get_time();
    (!ms.is_nan())
        .then(|| DateTime::from_timestamp_millis(ms as i64))
        .flatten()
}

/// The page of the record an event (or a task) is about.
pub fn record_href(entity: EntityType, id: Uuid) -> String {
    routes::entity_href(entity.as_str(), id).unwrap_or_default()
}

#[component]
pub fn Timeline(entity: EntityType, id: Uuid) -> impl IntoView {
    let i = use_i18n();
    let items = RwSignal::new(Vec::<TimelineItem>::new());
    let next = RwSignal::new(None::<String>);
    let loading = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let generation = StoredValue::new(0u64);
    let load = move |first: bool| {
        if first {
            generation.update_value(|g| *g += 1);
        }
        let mine = generation.get_value();
        let cursor = if first { None } else { next.get_untracked() };
        loading.set(true);
        error.set(None);
        spawn_local(async move {
            let result = api::activities::timeline(entity, id, cursor).await;
            if generation.try_get_value() != Some(mine) {
                return;
            }
            loading.set(false);
            match result {
                Ok(page) => {
                    if first {
                        items.set(page.data);
                    } else {
                        items.update(|v| v.extend(page.data));
                    }
                    next.set(page.next_cursor);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    load(true);
    let reload = Callback::new(move |_| load(true));
    view! {
        <section class="timeline-section" id="timeline">
            <h2>{move || i.t(K::TimelineTitle)}</h2>
            <LogActivity entity id on_logged=reload />
            {move || error.get().map(|e| view! { <ErrorNotice error=e on_retry=move |_| load(true) /> })}
            <ol class="timeline">
                <For each=move || items.get() key=|t| (t.id, t.activity.as_ref().map(|a| a.version)) let:item>
                    <TimelineEntry item own=(entity, id) on_change=reload />
                </For>
            </ol>
            <Show when=move || loading.get()>
                <Loading />
            </Show>
            <Show when=move || !loading.get() && error.with(Option::is_none) && items.with(Vec::is_empty)>
                <p class="empty">{move || i.t(K::NoActivityYet)}</p>
            </Show>
            <Show when=move || next.with(Option::is_some) && !loading.get()>
                <button type="button" class="load-more" on:click=move |_| load(false)>{move || i.t(K::LoadMore)}</button>
            </Show>
        </section>
    }
}

/// Logging an activity on the record, inline.
#[component]
fn LogActivity(entity: EntityType, id: Uuid, on_logged: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let submit = Submit::new();
    let errors = submit.errors;
    let kind = RwSignal::new(ActivityKind::Call.as_str().to_string());
    let subject = RwSignal::new(String::new());
    let body = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let is_task = move || kind.get() == ActivityKind::Task.as_str();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !submit.begin() {
            return;
        }
        let k = ActivityKind::parse(&kind.get_untracked()).unwrap_or_default();
        let input = ActivityInput {
            kind: k,
            subject: subject.get_untracked().trim().to_string(),
            body: opt_text(&body.get_untracked()),
            entity,
            entity_id: id,
            occurred_at: None,
            due_at: (k == ActivityKind::Task)
                .then(|| local_input_to_utc(&due.get_untracked()))
                .flatten(),
            status: None,
            reminder_at: None,
            owner_id: None,
            tags: Vec::new(),
        };
        spawn_local(async move {
            match api::activities::log(&input).await {
                Ok(_) => {
                    submit.end();
                    subject.set(String::new());
                    body.set(String::new());
                    due.set(String::new());
                    on_logged.run(());
                }
                Err(e) => submit.fail(e),
            }
        });
    };
    view! {
        <form class="record-form log-activity" id="log-activity" on:submit=save novalidate>
            <SubmitNotices submit shown=&["kind", "subject", "body", "due_at", "occurred_at"] on_reload=Callback::new(|_| {}) />
            <div class="grid">
                <FormField label=K::ActivityKind field="kind" errors>
                    <select id="f-activity-kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                        {ActivityKind::ALL.into_iter().map(|k| view! {
                            <option value=k.as_str() selected=move || kind.get() == k.as_str()>{move || kind_label(k, i.locale())}</option>
                        }).collect_view()}
                    </select>
                </FormField>
                <FormField label=K::Subject field="subject" errors>
                    <input id="f-activity-subject" type="text" bind:value=subject />
                </FormField>
                <Show when=is_task>
                    <FormField label=K::DueAt field="due_at" errors>
                        <input id="f-activity-due" type="datetime-local" bind:value=due />
                    </FormField>
                </Show>
                <div class="wide">
                    <FormField label=K::ActivityBody field="body" errors>
                        <textarea id="f-activity-body" rows="2" bind:value=body></textarea>
                    </FormField>
                </div>
            </div>
            <div class="actions">
                <button type="submit" class="primary" id="log-activity-save" disabled=move || submit.busy.get()>
                    {move || i.t(K::LogActivity)}
                </button>
            </div>
        </form>
    }
}

#[component]
fn TimelineEntry(
    item: TimelineItem,
    own: (EntityType, Uuid),
    on_change: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let at = item.at;
    let actor = item.actor_id;
    let action = item
        .field_change
        .as_ref()
        .map(|f| f.action.clone())
        .unwrap_or_default();
    // On an account's timeline, events of its contacts and deals link to them.
    let elsewhere = (item.entity, item.entity_id) != own;
    let (ent, ent_id) = (item.entity, item.entity_id);
    let head = move || {
        let action = action.clone();
        view! {
            <span class="who">{move || actor_text(actor, &action, auth, i)}</span>
            <time>{move || format_datetime(&at, i.locale())}</time>
            {elsewhere.then(|| view! { <A href=record_href(ent, ent_id) attr:class="elsewhere">{move || i.t(K::RelatedRecord)}</A> })}
        }
    };
    let body = match item.kind {
        TimelineKind::Activity => item.activity.map(|a| view! { <ActivityView activity=a on_change /> }.into_any()),
        TimelineKind::StageChange => item.stage_change.map(|s| {
            let (from, to) = (s.from_stage.clone(), s.to_stage.clone());
            view! {
                <strong>
                    {move || from.as_deref().map(|f| format!("{} → ", stage_label(f, i.locale()))).unwrap_or_default()}
                    {move || stage_label(&to, i.locale())}
                </strong>
                {s.reason.map(|r| view! { <p>{r}</p> })}
            }
            .into_any()
        }),
        TimelineKind::FieldChange => item.field_change.map(|f| {
            let action = f.action.clone();
            let creating = f.action == "create";
            view! {
                <strong>{move || action_label(&action).map(|k| i.t(k).to_string()).unwrap_or(action.clone())}</strong>
                " " <FieldChanges changes=f.changes fields=FieldText { entity: ent.0 } creating />
            }
            .into_any()
        }),
    };
    view! {
        <li class=format!("timeline-item kind-{}", item.kind.as_str()) data-id=item.id.to_string()>
            <div class="history-head">{head}</div>
            {body}
        </li>
    }
}

/// A field change's fields by their labels; on an edit, words and numbers also before → after
/// (a create lists what was filled in: every "before" would be empty).
#[component]
fn FieldChanges(changes: Vec<FieldChange>, fields: FieldText, creating: bool) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    if creating {
        let names = move || {
            let sep = if i.locale() == Locale::Zh {
                "、"
            } else {
                ", "
            };
            changes
                .iter()
                .map(|c| fields.label_text(&c.field, i))
                .collect::<Vec<_>>()
                .join(sep)
        };
        return view! { <span class="subtitle field-names">{names}</span> }.into_any();
    }
    view! {
        <ul class="field-changes">
            {changes
                .into_iter()
                .map(|c| {
                    let field = c.field.clone();
                    let label = move || fields.label_text(&field, i);
                    let scalar = fields.is_scalar(&c.field, &c.old) && fields.is_scalar(&c.field, &c.new);
                    let values = scalar.then(|| {
                        let (f1, f2) = (c.field.clone(), c.field.clone());
                        let (old, new) = (c.old, c.new);
                        view! {
                            ": " <span class="old">{move || fields.value_text(&f1, &old, auth, i)}</span>
                            " → " <span class="new">{move || fields.value_text(&f2, &new, auth, i)}</span>
                        }
                    });
                    view! {
                        <li data-field=c.field.clone()>
                            <span class="field-name">{label}</span>
                            {values}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// An activity on a timeline: kind, subject, text; a task's due time and "done".
#[component]
fn ActivityView(activity: Activity, on_change: Callback<()>) -> impl IntoView {
    let i = use_i18n();
    let error = RwSignal::new(None::<ApiError>);
    let kind = activity.kind;
    let open_task = activity.status == Some(TaskStatus::Open);
    let done = activity.status == Some(TaskStatus::Done);
    let due = activity.due_at;
    let overdue = activity.overdue;
    let task = activity.clone();
    let mark_done = move |_| {
        let task = task.clone();
        spawn_local(async move {
            match api::activities::set_status(&task, TaskStatus::Done).await {
                Ok(_) => on_change.run(()),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="activity" data-kind=kind.as_str()>
            <span class=format!("badge kind-{}", kind.as_str())>{move || kind_label(kind, i.locale())}</span>
            " " <strong class="subject">{activity.subject.clone()}</strong>
            {due.map(|d| view! {
                <span class="due" class:overdue=overdue>
                    " · " {move || i.t(K::DueAt)} " " {move || format_datetime(&d, i.locale())}
                </span>
            })}
            {done.then(|| view! { <span class="badge status-won">{move || i.t(K::TaskDone)}</span> })}
            {activity.body.clone().map(|b| view! { <p class="activity-body">{b}</p> })}
            {open_task.then(|| view! {
                <button type="button" class="link mark-done" on:click=mark_done>{move || i.t(K::MarkDone)}</button>
            })}
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
        </div>
    }
}
