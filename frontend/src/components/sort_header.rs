//! A sortable column header: a link to the same list sorted by the column (click again to flip).

use crate::i18n::{use_i18n, K};
use crate::list::ListQuery;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn SortHeader(
    label: K,
    field: &'static str,
    query: Memo<ListQuery>,
    page_path: &'static str,
) -> impl IntoView {
    let i = use_i18n();
    let state = move || query.with(|q| q.sort_state(field));
    let aria = move || match state() {
        Some(false) => "ascending",
        Some(true) => "descending",
        None => "none",
    };
    let arrow = move || match state() {
        Some(false) => " ▲",
        Some(true) => " ▼",
        None => "",
    };
    let href = move || query.with(|q| q.with_sort_toggled(field).href(page_path));
    view! {
        <th aria-sort=aria data-sort=field class="sortable">
            <A href=href>{move || i.t(label)} {arrow}</A>
        </th>
    }
}
