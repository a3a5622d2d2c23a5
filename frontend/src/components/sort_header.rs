//! A sortable column header: a link to the same list sorted by the column (click again to flip).

use crate::i18n::{use_i18n, K};
use crate::list::ListQuery;
use leptos::prelude::*;
use leptos_router::components::A;

/// The header's text is `label`, or `text` for a column the organization named (a custom field).
#[component]
pub fn SortHeader(
    #[prop(optional)] label: Option<K>,
    #[prop(optional, into)] text: Option<Signal<String>>,
    #[prop(into)] field: String,
    query: Memo<ListQuery>,
    page_path: &'static str,
) -> impl IntoView {
    let i = use_i18n();
    let field = StoredValue::new(field);
    let state = move || query.with(|q| field.with_value(|f| q.sort_state(f)));
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
    let title = move || match (label, text) {
        (Some(k), _) => i.t(k).to_string(),
        (None, Some(t)) => t.get(),
        (None, None) => field.get_value(),
    };
    let href = move || query.with(|q| field.with_value(|f| q.with_sort_toggled(f).href(page_path)));
    view! {
        <th aria-sort=aria data-sort=field.get_value() class="sortable">
            <A href=href>{title} {arrow}</A>
        </th>
    }
}
