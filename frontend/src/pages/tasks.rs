//! My open tasks (`/tasks`), overdue first (the API orders by due time), each done with a click.

use crate::api;
use crate::components::{record_href, ErrorNotice};
use crate::i18n::{format_datetime, use_i18n, K};
use crate::list::{use_list, ListFooter, ListSpec, ListTotal};
use crate::routes;
use domain::activity::{Activity, TaskStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

const SPEC: ListSpec = ListSpec {
    api_path: api::activities::MY_TASKS,
    page_path: routes::TASKS,
    filter_keys: &[],
    page_size: 50,
};

#[component]
pub fn TasksPage() -> impl IntoView {
    let i = use_i18n();
    let list = use_list::<Activity>(SPEC);
    let error = RwSignal::new(None::<api::ApiError>);
    let done = move |task: Activity| {
        spawn_local(async move {
            match api::activities::set_status(&task, TaskStatus::Done).await {
                Ok(_) => list.items.update(|v| v.retain(|t| t.id != task.id)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let row = move |t: Activity| {
        let due = t.due_at;
        let task = t.clone();
        view! {
            <tr data-id=t.id.to_string() class:overdue=t.overdue>
                <td class="name" data-label=move || i.t(K::Subject)>{t.subject.clone()}</td>
                <td data-label=move || i.t(K::RelatedRecord)>
                    <A href=record_href(t.entity, t.entity_id)>{move || i.t(K::Open)}</A>
                </td>
                <td data-label=move || i.t(K::DueAt) class:overdue=t.overdue>
                    {move || due.map(|d| format_datetime(&d, i.locale())).unwrap_or_default()}
                    {t.overdue.then(|| view! { <span class="badge status-lost">{move || i.t(K::Overdue)}</span> })}
                </td>
                <td>
                    <button type="button" class="mark-done" on:click=move |_| done(task.clone())>{move || i.t(K::MarkDone)}</button>
                </td>
            </tr>
        }
    };
    view! {
        <section class="page tasks-page">
            <div class="page-head">
                <h1>{move || i.t(K::MyTasks)} <ListTotal total=list.total /></h1>
            </div>
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
            <div class="table-wrap">
                <table class="records" id="tasks-table">
                    <thead>
                        <tr>
                            <th>{move || i.t(K::Subject)}</th>
                            <th>{move || i.t(K::RelatedRecord)}</th>
                            <th>{move || i.t(K::DueAt)}</th>
                            <th></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || list.items.get() key=|t| (t.id, t.version) children=row />
                    </tbody>
                </table>
            </div>
            <ListFooter list />
        </section>
    }
}
