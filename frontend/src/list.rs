//! The one list-page mechanism. The URL holds the quick search `q`, `sort` and the filters (the
//! same names the API takes, custom fields' `custom.<key>[op]` among them) and the custom columns
//! shown (`columns=`), so a list view is a shareable link and Back restores it. Pages are
//! fetched with the API's keyset cursors and appended ("load more"); the cursors live in memory
//! and start over whenever the URL's query changes.
//!
//! A record list ([`use_record_list`]) asks the API only for the columns its page shows
//! (`fields=`: its built-in columns, see [`crate::record::RecordList`], and the custom columns
//! chosen) and, with its first page, for the sums of its number and money columns over every
//! matching record (`totals=`), which the page shows as a totals row under the table ([`sums`]).

mod sums;

pub use sums::{field_sums, sum_text, SumCell, Sums, SumsRow};

use crate::api::{ApiError, Call};
use crate::components::{ErrorNotice, Loading};
use crate::custom::Meta;
use crate::i18n::{use_i18n, K};
use domain::custom::{CustomField, CustomValues, FieldType};
use domain::list::Page;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use leptos_router::NavigateOptions;
use serde::de::DeserializeOwned;

/// What a list shows: quick search, sort and filters, as held in the URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub q: String,
    /// `name`, `-created_at`, …; `None` is the API's default order.
    pub sort: Option<String>,
    /// `(key, value)` in URL order, e.g. `("class", "key")`, `("custom.budget[gte]", "1000")`.
    pub filters: Vec<(String, String)>,
    /// The custom fields shown as columns (`custom.budget`), in order. A record list asks the
    /// API for these custom values only (`fields=`); a list of whole records gets them all.
    pub columns: Vec<String>,
}

/// The URL parameter of [`ListQuery::columns`].
const COLUMNS: &str = "columns";

/// Whether a URL parameter filters on a custom field (`custom.budget[gte]`): every list takes
/// those, and the API answers 400 for a field that is not (or no longer) filterable.
fn is_custom_filter(key: &str) -> bool {
    key.starts_with("custom.")
}

impl ListQuery {
    /// Reads `q`, `sort`, the filters this list allows and custom-field filters (other keys
    /// are ignored), and the columns.
    pub fn from_params(params: &ParamsMap, filter_keys: &[&str]) -> ListQuery {
        let get = |k: &str| params.get(k).filter(|v| !v.is_empty());
        let custom = params
            .latest_values()
            .filter(|(k, v)| is_custom_filter(k) && !v.is_empty())
            .map(|(k, v)| (k.to_string(), v.to_string()));
        ListQuery {
            q: get("q").unwrap_or_default(),
            sort: get("sort"),
            filters: filter_keys
                .iter()
                .filter_map(|k| get(k).map(|v| (k.to_string(), v)))
                .chain(custom)
                .collect(),
            columns: get(COLUMNS)
                .map(|c| {
                    c.split(',')
                        .filter(|c| is_custom_filter(c))
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    pub fn filter(&self, key: &str) -> Option<&str> {
        self.filters
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The record filter `key` names (`account_id`), if it is one id.
    pub fn filter_id(&self, key: &str) -> Option<uuid::Uuid> {
        self.filter(key)?.parse().ok()
    }

    /// This query with one filter set (or removed for `None`/empty).
    pub fn with_filter(&self, key: &str, value: Option<String>) -> ListQuery {
        let mut next = self.clone();
        next.filters.retain(|(k, _)| k != key);
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            next.filters.push((key.to_string(), v));
        }
        next
    }

    pub fn with_q(&self, q: &str) -> ListQuery {
        ListQuery {
            q: q.trim().to_string(),
            ..self.clone()
        }
    }

    pub fn without_filters(&self) -> ListQuery {
        ListQuery {
            sort: self.sort.clone(),
            columns: self.columns.clone(),
            ..ListQuery::default()
        }
    }

    pub fn with_columns(&self, columns: Vec<String>) -> ListQuery {
        ListQuery {
            columns,
            ..self.clone()
        }
    }

    /// `Some(false)` sorted ascending by `field`, `Some(true)` descending, `None` not by it.
    pub fn sort_state(&self, field: &str) -> Option<bool> {
        match self.sort.as_deref() {
            Some(s) if s == field => Some(false),
            Some(s) if s.strip_prefix('-') == Some(field) => Some(true),
            _ => None,
        }
    }

    /// A click on a column header: ascending first, then it flips.
    pub fn with_sort_toggled(&self, field: &str) -> ListQuery {
        let sort = match self.sort_state(field) {
            Some(false) => format!("-{field}"),
            _ => field.to_string(),
        };
        ListQuery {
            sort: Some(sort),
            ..self.clone()
        }
    }

    /// The query as the API takes it (the URL adds the columns).
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        if !self.q.is_empty() {
            out.push(("q".to_string(), self.q.clone()));
        }
        if let Some(s) = &self.sort {
            out.push(("sort".to_string(), s.clone()));
        }
        out.extend(self.filters.iter().cloned());
        out
    }

    /// The page's address with this query.
    pub fn href(&self, page_path: &str) -> String {
        let mut pairs = self.pairs();
        if !self.columns.is_empty() {
            pairs.push((COLUMNS.to_string(), self.columns.join(",")));
        }
        if pairs.is_empty() {
            page_path.to_string()
        } else {
            format!("{page_path}?{}", crate::api::query_string(&pairs))
        }
    }
}

/// Which list: the API collection, the page showing it, the filters it takes.
#[derive(Debug, Clone, Copy)]
pub struct ListSpec {
    pub api_path: &'static str,
    pub page_path: &'static str,
    pub filter_keys: &'static [&'static str],
    pub page_size: u32,
}

/// Leptos' router navigation, kept so a list can write its query into the URL.
pub type Navigate = Box<dyn Fn(&str)>;

/// A list's state: the URL's query and what has been loaded for it.
pub struct ListState<T: Send + Sync + 'static> {
    pub spec: ListSpec,
    pub query: Memo<ListQuery>,
    pub items: RwSignal<Vec<T>>,
    /// `count=true` of the first page.
    pub total: RwSignal<Option<i64>>,
    /// `totals=` of the first page: the shown number and money columns summed over every
    /// matching record (`None` when the list sums nothing, or before the first page).
    pub sums: RwSignal<Option<Sums>>,
    /// A record list's entity description (its custom fields), shared with its custom columns.
    pub meta: Option<Meta>,
    /// What the next page is asked with besides the cursor; `None` until it is known (a record
    /// list showing custom columns waits for the description of its custom fields).
    request: Memo<Option<Request>>,
    pub next_cursor: RwSignal<Option<String>>,
    pub loading: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
    /// Bumped on every new query; answers to older ones are dropped.
    generation: StoredValue<u64>,
    navigate: StoredValue<Navigate, LocalStorage>,
}

impl<T: Send + Sync + 'static> Clone for ListState<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for ListState<T> {}

/// What a list asks the API for, besides the page's cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Request {
    /// The list's address: the spec's, or the one a record list was given (a pool's accounts).
    path: String,
    /// The query, and `fields=` for a record list.
    pairs: Vec<(String, String)>,
    /// `totals=`, asked with the first page only (later pages cannot change the sums).
    totals: Option<String>,
}

/// A row of a record list: `id` and `version` (row keys and links), exactly the built-in fields
/// asked for (a projected row has no others), and the shown custom columns' values (empty
/// without them).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Row {
    pub id: uuid::Uuid,
    pub version: i32,
    #[serde(default)]
    pub custom: CustomValues,
    #[serde(flatten)]
    pub fields: serde_json::Map<String, serde_json::Value>,
}

impl Row {
    /// The value of built-in field `field` (`null` when the row has none).
    pub fn get(&self, field: &str) -> &serde_json::Value {
        self.fields.get(field).unwrap_or(&serde_json::Value::Null)
    }
}

/// Whether a custom field's column is summed (`totals=`): numbers, computed numbers and money.
pub fn summable(f: &CustomField) -> bool {
    f.type_.numeric() || f.type_ == FieldType::Money
}

/// The list of whole records for the current URL (e.g. my tasks, whose rows are acted on):
/// loads the first page whenever the query changes.
pub fn use_list<T>(spec: ListSpec) -> ListState<T>
where
    T: DeserializeOwned + Clone + Send + Sync + 'static,
{
    let params = use_query_map();
    let query = Memo::new(move |_| ListQuery::from_params(&params.read(), spec.filter_keys));
    let request = Memo::new(move |_| {
        Some(Request {
            path: spec.api_path.to_string(),
            pairs: query.with(ListQuery::pairs),
            totals: None,
        })
    });
    start(spec, query, request, None)
}

/// A record list for the current URL: its rows have the built-in `fields` given (a list page's
/// columns and what its own cells read) and the custom columns chosen, and its first page
/// carries the sums of `sums` (the page's built-in number and money columns, e.g. `amount`) and
/// of the shown custom number and money columns. Loads the first page whenever the query (or
/// what it asks for) changes. `source`, when given, is where the rows come from instead of the
/// spec's collection (a list of the same records and parameters, such as a customer pool's
/// accounts); the list waits while it is `None`.
pub fn use_record_list(
    spec: ListSpec,
    fields: Vec<&'static str>,
    sums: Vec<&'static str>,
    source: Option<Signal<Option<String>>>,
) -> ListState<Row> {
    let params = use_query_map();
    let query = Memo::new(move |_| ListQuery::from_params(&params.read(), spec.filter_keys));
    let meta = Meta::load(crate::custom::plural_of(spec.api_path));
    let request = Memo::new(move |_| {
        let path = match source {
            Some(s) => s.get()?,
            None => spec.api_path.to_string(),
        };
        let q = query.get();
        // Custom columns as the description knows them (a saved view may name a field since
        // deleted, which `fields=` would refuse); none if it cannot be read.
        let custom: Vec<CustomField> = if q.columns.is_empty() || meta.error.with(Option::is_some) {
            Vec::new()
        } else {
            let known = meta.data.with(|m| {
                m.as_ref().map(|m| {
                    q.columns
                        .iter()
                        .filter_map(|c| {
                            let key = c.strip_prefix("custom.")?;
                            m.custom_fields.iter().find(|f| f.key == key).cloned()
                        })
                        .collect()
                })
            });
            known? // not described yet: wait
        };
        let fields: Vec<String> = fields
            .iter()
            .map(|f| f.to_string())
            .chain(custom.iter().map(CustomField::path))
            .collect();
        let totals: Vec<String> = sums
            .iter()
            .map(|f| f.to_string())
            .chain(custom.iter().filter(|f| summable(f)).map(CustomField::path))
            .collect();
        let mut pairs = q.pairs();
        pairs.push(("fields".to_string(), fields.join(",")));
        Some(Request {
            path,
            pairs,
            totals: (!totals.is_empty()).then(|| totals.join(",")),
        })
    });
    start(spec, query, request, Some(meta))
}

fn start<T>(
    spec: ListSpec,
    query: Memo<ListQuery>,
    request: Memo<Option<Request>>,
    meta: Option<Meta>,
) -> ListState<T>
where
    T: DeserializeOwned + Clone + Send + Sync + 'static,
{
    let navigate = use_navigate();
    let state = ListState {
        spec,
        query,
        items: RwSignal::new(Vec::new()),
        total: RwSignal::new(None),
        sums: RwSignal::new(None),
        meta,
        request,
        next_cursor: RwSignal::new(None),
        loading: RwSignal::new(false),
        error: RwSignal::new(None),
        generation: StoredValue::new(0),
        navigate: StoredValue::new_local(Box::new(move |href: &str| {
            navigate(href, NavigateOptions::default())
        })),
    };
    Effect::new(move |_| {
        if request.with(Option::is_some) {
            state.load(true);
        } else {
            state.loading.set(true); // waiting (custom fields, the source), not "nothing matches"
        }
    });
    state
}

impl<T> ListState<T>
where
    T: DeserializeOwned + Clone + Send + Sync + 'static,
{
    /// Shows `query` (a new history entry, so Back returns to the previous view).
    pub fn go(&self, query: ListQuery) {
        let href = query.href(self.spec.page_path);
        self.navigate.with_value(|n| n(&href));
    }

    pub fn load_more(&self) {
        if self.next_cursor.get_untracked().is_some() && !self.loading.get_untracked() {
            self.load(false);
        }
    }

    /// The first page again (after the rows changed elsewhere).
    pub fn reload(&self) {
        self.load(true);
    }

    /// After an error: the first page again, or the page that failed.
    pub fn retry(&self) {
        let first = self.items.with_untracked(Vec::is_empty);
        self.load(first);
    }

    fn load(&self, first: bool) {
        let state = *self;
        let generation = if first {
            self.generation.update_value(|g| *g += 1);
            self.next_cursor.set(None);
            self.total.set(None);
            self.sums.set(None);
            self.items.set(Vec::new());
            self.generation.get_value()
        } else {
            self.generation.get_value()
        };
        let Some(request) = self.request.get_untracked() else {
            return;
        };
        let cursor = self.next_cursor.get_untracked();
        self.loading.set(true);
        self.error.set(None);
        spawn_local(async move {
            let mut call = Call::get(&request.path)
                .params(&request.pairs)
                .param("limit", state.spec.page_size.to_string());
            call = match cursor {
                Some(c) if !first => call.param("cursor", c),
                _ => match request.totals {
                    Some(totals) => call.param("count", "true").param("totals", totals),
                    None => call.param("count", "true"),
                },
            };
            let result = call.send::<Page<T>>().await;
            if state.generation.try_get_value() != Some(generation) {
                return; // a newer query, or the page is gone
            }
            state.loading.set(false);
            match result {
                Ok(reply) => {
                    let page = reply.body;
                    state.items.update(|items| items.extend(page.data));
                    state.next_cursor.set(page.next_cursor);
                    if page.total.is_some() {
                        state.total.set(page.total);
                    }
                    if page.totals.is_some() {
                        state.sums.set(page.totals);
                    }
                }
                Err(e) => state.error.set(Some(e)),
            }
        });
    }
}

/// The count next to a list's title.
#[component]
pub fn ListTotal(total: RwSignal<Option<i64>>) -> impl IntoView {
    let i = use_i18n();
    move || {
        total
            .get()
            .map(|n| view! { <span class="total" id="list-total">{i.t_n(K::TotalCount, n)}</span> })
    }
}

/// Below every list: its error with a retry, loading, the empty state, and "load more".
#[component]
pub fn ListFooter<T>(list: ListState<T>) -> impl IntoView
where
    T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
{
    let i = use_i18n();
    view! {
        {move || list.error.get().map(|e| view! { <ErrorNotice error=e on_retry=move |_| list.retry() /> })}
        <Show when=move || list.loading.get()>
            <Loading />
        </Show>
        <Show when=move || {
            !list.loading.get() && list.error.with(Option::is_none) && list.items.with(Vec::is_empty)
        }>
            <div class="empty" id="list-empty">
                <p>{move || i.t(K::NothingMatches)}</p>
                <p class="hint">{move || i.t(K::EmptyListHintGeneric)}</p>
            </div>
        </Show>
        <Show when=move || list.next_cursor.with(Option::is_some) && !list.loading.get()>
            <button type="button" class="load-more" id="load-more" on:click=move |_| list.load_more()>
                {move || i.t(K::LoadMore)}
            </button>
        </Show>
    }
}

/// Above a list: the saved views of its entity (picking one opens the list with its query and
/// columns), and saving the list's current query and columns as a view, private or shared with
/// the organization.
#[component]
pub fn ListViews(spec: ListSpec, query: Memo<ListQuery>) -> impl IntoView {
    let i = use_i18n();
    let entity = spec.api_path.trim_start_matches('/').to_string();
    let views = RwSignal::new(Vec::<domain::views::ListView>::new());
    let name = RwSignal::new(String::new());
    let shared = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let load = {
        let entity = entity.clone();
        move || {
            let entity = entity.clone();
            spawn_local(async move {
                match crate::api::views::of(&entity).await {
                    Ok(v) => views.set(v),
                    Err(e) => error.set(Some(e)),
                }
            });
        }
    };
    load();
    let navigate = use_navigate();
    let open = move |id: String| {
        let Some(view) =
            views.with_untracked(|v| v.iter().find(|v| v.id.to_string() == id).cloned())
        else {
            return;
        };
        let mut parts = Vec::new();
        if !view.query.is_empty() {
            parts.push(view.query.clone());
        }
        if !view.columns.is_empty() {
            parts.push(crate::api::query_string(&[(
                COLUMNS,
                view.columns.join(","),
            )]));
        }
        let href = if parts.is_empty() {
            spec.page_path.to_string()
        } else {
            format!("{}?{}", spec.page_path, parts.join("&"))
        };
        navigate(&href, NavigateOptions::default());
    };
    let save = move |_| {
        let input = domain::views::ListViewInput {
            entity: entity.clone(),
            name: name.get_untracked(),
            query: crate::api::query_string(&query.get_untracked().pairs()),
            columns: query.get_untracked().columns,
            shared: shared.get_untracked(),
        };
        let load = load.clone();
        spawn_local(async move {
            match crate::api::views::save(&input).await {
                Ok(_) => {
                    error.set(None);
                    name.set(String::new());
                    shared.set(false);
                    load();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <div class="list-views">
            <select
                id="saved-views"
                aria-label=move || i.t(K::SavedViews)
                on:change=move |ev| open(event_target_value(&ev))
            >
                <option value="">{move || i.t(K::SavedViews)}</option>
                {move || views.get().into_iter().map(|v| view! {
                    <option value=v.id.to_string()>{v.name.clone()}</option>
                }).collect_view()}
            </select>
            <input id="view-name" type="text" maxlength="100" bind:value=name placeholder=move || i.t(K::ViewName) aria-label=move || i.t(K::ViewName) />
            <label>
                <input id="view-shared" type="checkbox" bind:checked=shared />
                " " {move || i.t(K::ShareView)}
            </label>
            <button type="button" id="save-view" disabled=move || name.with(|n| n.trim().is_empty()) on:click=save>
                {move || i.t(K::SaveView)}
            </button>
            {move || error.get().map(|e| view! { <ErrorNotice error=e /> })}
        </div>
    }
}
