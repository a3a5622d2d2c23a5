//! The filter bar of list pages: one form with the quick search, the page's filters, the apply
//! button and "clear filters". The filters inside it read their values from the list's URL query
//! and write them back through it ([`crate::list`]); an enum or picklist filter takes its choices
//! from the registry's description of the field, so no page lists an enum's values.
//!
//! ```text
//! <FilterBar list placeholder=K::QuickSearchContacts>
//!     <EnumFilter entity=&LEAD field="status" blank=K::AllStatuses />
//!     <OwnerListFilter />
//! </FilterBar>
//! ```

use crate::components::{OwnerFilter, PicklistSelect};
use crate::custom::LookupLink;
use crate::i18n::{enum_label, use_i18n, K};
use crate::list::{ListQuery, ListState};
use crate::registry::label;
use domain::registry::fields::{Choice, Input};
use domain::registry::Entity;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use serde::de::DeserializeOwned;

/// What the filters inside a [`FilterBar`] share: the list's query and how to show another.
#[derive(Clone, Copy)]
struct Bar {
    query: Memo<ListQuery>,
    go: Callback<ListQuery>,
    /// The text filters ([`TextFilter`]), applied with the quick search: their key and input.
    texts: StoredValue<Vec<(&'static str, RwSignal<String>)>>,
}

impl Bar {
    fn here() -> Bar {
        expect_context::<Bar>()
    }

    /// The URL's value of filter `key` ("" when unset).
    fn value(self, key: &'static str) -> Signal<String> {
        let query = self.query;
        Signal::derive(move || query.with(|q| q.filter(key).unwrap_or_default().to_string()))
    }

    /// Shows the list with filter `key` set to the value given (removed when "").
    fn set(self, key: &'static str) -> Callback<String> {
        Callback::new(move |v: String| {
            self.go
                .run(self.query.get_untracked().with_filter(key, Some(v)))
        })
    }
}

/// The filter form above a list: the quick search (`#quick-search`, `placeholder` its hint),
/// the filters given as children, the apply button (`#apply-filters`, which applies the quick
/// search and the text filters; the selects apply on change) and, while anything is filtered,
/// the link that clears it all (`.clear-filters`, keeping the sort and columns).
#[component]
pub fn FilterBar<T>(
    list: ListState<T>,
    placeholder: K,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView
where
    T: DeserializeOwned + Clone + Send + Sync + 'static,
{
    let i = use_i18n();
    let query = list.query;
    let bar = Bar {
        query,
        go: Callback::new(move |q: ListQuery| list.go(q)),
        texts: StoredValue::new(Vec::new()),
    };
    provide_context(bar);
    let q_text = RwSignal::new(String::new());
    Effect::new(move |_| q_text.set(query.with(|q| q.q.clone())));
    let search = move |ev: SubmitEvent| {
        ev.prevent_default();
        let next = bar.texts.with_value(|texts| {
            texts.iter().fold(
                query.get_untracked().with_q(&q_text.get_untracked()),
                |q, (key, text)| q.with_filter(key, Some(text.get_untracked().trim().to_string())),
            )
        });
        list.go(next);
    };
    let page_path = list.spec.page_path;
    view! {
        <form class="filters" on:submit=search>
            <input
                id="quick-search"
                type="search"
                bind:value=q_text
                placeholder=move || i.t(placeholder)
                aria-label=move || i.t(placeholder)
            />
            {children.map(|c| c())}
            <button type="submit" id="apply-filters">{move || i.t(K::Search)}</button>
            <Show when=move || query.with(|q| !q.q.is_empty() || !q.filters.is_empty())>
                <A href=move || query.with(|q| q.without_filters().href(page_path)) attr:class="clear-filters">
                    {move || i.t(K::ClearFilters)}
                </A>
            </Show>
        </form>
    }
}

/// The choices of `entity`'s enum field `field`, every one (a filter finds records in states a
/// form cannot set, such as converted leads); none when it is not an enum.
fn enum_choices(entity: &Entity, field: &str) -> &'static [Choice] {
    match entity.field(field).map(|f| f.input) {
        Some(Input::Enum(choices)) => choices,
        _ => &[],
    }
}

/// The picklist of `entity`'s field `field` (`industry`), if it is one.
fn picklist_of(entity: &Entity, field: &str) -> Option<&'static str> {
    match entity.field(field).map(|f| f.input) {
        Some(Input::Picklist(list)) => Some(list),
        _ => None,
    }
}

/// The field's label, for a filter's `aria-label`.
fn field_label(entity: &Entity, field: &str) -> Option<domain::registry::Label> {
    entity.field(field).map(|f| f.label)
}

/// A `<select id="filter-{field}">` over the values of an enum field of `entity` (a lead's
/// `status`), labelled by the registry; `blank` names the choice of any value. Applies on change.
#[component]
pub fn EnumFilter(entity: &'static Entity, field: &'static str, blank: K) -> impl IntoView {
    let i = use_i18n();
    let bar = Bar::here();
    let value = bar.value(field);
    let set = bar.set(field);
    let aria = field_label(entity, field);
    let choices = enum_choices(entity, field);
    let options = choices
        .iter()
        .map(|c| {
            view! {
                <option value=c.key selected=move || value.with(|v| v == c.key)>
                    {move || enum_label(choices, c.key, i.locale())}
                </option>
            }
        })
        .collect_view();
    view! {
        <select
            id=format!("filter-{field}")
            aria-label=move || aria.map(|l| label(i, l))
            prop:value=move || value.get()
            on:change=move |ev| set.run(event_target_value(&ev))
        >
            <option value="">{move || i.t(blank)}</option>
            {options}
        </select>
    }
}

/// A `<select id="filter-{field}">` over the organization's picklist of a field of `entity` (an
/// account's `industry`); `blank` names the choice of any value. Applies on change.
#[component]
pub fn PicklistFilter(entity: &'static Entity, field: &'static str, blank: K) -> impl IntoView {
    let i = use_i18n();
    let bar = Bar::here();
    let url_value = bar.value(field);
    let value = RwSignal::new(String::new());
    Effect::new(move |_| value.set(url_value.get()));
    let aria = field_label(entity, field);
    picklist_of(entity, field).map(|list| {
        view! {
            <PicklistSelect
                id=format!("filter-{field}")
                list
                value
                blank
                on_change=bar.set(field)
                attr:aria-label=move || aria.map(|l| label(i, l))
            />
        }
    })
}

/// The owner filter (`#filter-owner`: anyone, me, or one user) on the list's `owner_id`.
#[component]
pub fn OwnerListFilter() -> impl IntoView {
    let bar = Bar::here();
    view! { <OwnerFilter value=bar.value("owner_id") on_change=bar.set("owner_id") /> }
}

/// A text input on filter `key` (an account's `tags`), applied with the quick search.
#[component]
pub fn TextFilter(#[prop(into)] id: String, key: &'static str, placeholder: K) -> impl IntoView {
    let i = use_i18n();
    let bar = Bar::here();
    let url_value = bar.value(key);
    let text = RwSignal::new(String::new());
    Effect::new(move |_| text.set(url_value.get()));
    bar.texts.update_value(|t| t.push((key, text)));
    view! {
        <input
            id=id
            type="text"
            bind:value=text
            placeholder=move || i.t(placeholder)
            aria-label=move || i.t(placeholder)
        />
    }
}

/// A checkbox on filter `key` (`neglected`): checked sets it to `true`, unchecked removes it.
/// Applies on change.
#[component]
pub fn FlagFilter(#[prop(into)] id: String, key: &'static str, label: K) -> impl IntoView {
    let i = use_i18n();
    let bar = Bar::here();
    let value = bar.value(key);
    let set = bar.set(key);
    view! {
        <label class="inline flag-filter">
            <input
                id=id
                type="checkbox"
                prop:checked=move || value.with(|v| v == "true")
                on:change=move |ev| set.run(if event_target_checked(&ev) { "true".into() } else { String::new() })
            />
            " " {move || i.t(label)}
        </label>
    }
}

/// While the list is filtered to one record of a reference field of `entity` (the contacts of
/// an account, `account_id`): a chip naming it, a link to it (`#{target}-filter`).
#[component]
pub fn ReferenceChip(entity: &'static Entity, field: &'static str) -> impl IntoView {
    let i = use_i18n();
    let bar = Bar::here();
    let query = bar.query;
    let aria = field_label(entity, field);
    let target = match entity.field(field).map(|f| f.input) {
        Some(Input::Reference(target)) => domain::registry::entity(target),
        _ => None,
    };
    move || {
        let id = query.with(|q| q.filter_id(field))?;
        let target = target?;
        Some(view! {
            <span class="chip" id=format!("{}-filter", target.name)>
                {move || aria.map(|l| label(i, l))} ": "
                <LookupLink entity=target id />
            </span>
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::registry::{ACCOUNT, LEAD, OPPORTUNITY};

    #[test]
    fn enum_filters_offer_every_value_of_the_field() {
        let keys = |e, f| enum_choices(e, f).iter().map(|c| c.key).collect::<Vec<_>>();
        assert_eq!(keys(&ACCOUNT, "class"), ["potential", "target", "key"]);
        assert_eq!(
            keys(&LEAD, "status"),
            ["new", "contacted", "qualified", "converted", "disqualified"]
        );
        assert_eq!(keys(&OPPORTUNITY, "status"), ["open", "won", "lost"]);
        assert!(enum_choices(&ACCOUNT, "industry").is_empty());
        assert!(enum_choices(&ACCOUNT, "nothing").is_empty());
    }

    #[test]
    fn picklist_filters_find_their_picklist() {
        assert_eq!(picklist_of(&ACCOUNT, "industry"), Some("industry"));
        assert_eq!(picklist_of(&ACCOUNT, "source"), Some("source"));
        assert_eq!(picklist_of(&ACCOUNT, "class"), None);
        assert_eq!(field_label(&LEAD, "status").map(|l| l.en), Some("Status"));
    }
}
