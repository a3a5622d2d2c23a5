//! Regions (地区) as people read them: names instead of GB/T 2260 codes (`湖北省 武汉市`), and the
//! region field of forms, cascading province → city → district selects that still accept a
//! typed code.

use crate::api::{self, ApiError};
use crate::i18n::{use_i18n, Locale, K};
use domain::region::Region;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::{HashMap, HashSet};
use std::future::Future;

/// Answers kept for the whole visit, each asked for once: the tree does not change, and pages
/// (a history, a form's selects) name the same few regions again and again.
#[derive(Clone, Copy)]
struct Cache {
    /// The regions per key; `None` when the server has no such region.
    got: RwSignal<HashMap<String, Option<Vec<Region>>>>,
    /// Keys asked for. Untracked: asking must not re-run the view that asks.
    asked: StoredValue<HashSet<String>>,
}

impl Cache {
    fn new() -> Cache {
        Cache {
            got: RwSignal::new(HashMap::new()),
            asked: StoredValue::new(HashSet::new()),
        }
    }

    /// The answer for `key` (tracked), `None` until it is in; the first ask starts `load`.
    fn get<F>(self, key: &str, load: impl FnOnce() -> F) -> Option<Option<Vec<Region>>>
    where
        F: Future<Output = Result<Vec<Region>, ApiError>> + 'static,
    {
        if let Some(hit) = self.got.with(|m| m.get(key).cloned()) {
            return Some(hit);
        }
        let first = self
            .asked
            .try_update_value(|a| a.insert(key.to_string()))
            .unwrap_or(false);
        if first {
            let (got, asked, key, call) = (self.got, self.asked, key.to_string(), load());
            spawn_local(async move {
                match call.await {
                    Ok(regions) => {
                        got.try_update(|m| m.insert(key, Some(regions)));
                    }
                    Err(e) if e.status() == Some(404) => {
                        got.try_update(|m| m.insert(key, None));
                    }
                    // A network error or an ended session may pass: the next view asks again.
                    Err(_) => {
                        asked.try_update_value(|a| a.remove(&key));
                    }
                }
            });
        }
        None
    }

    fn put(self, key: String, regions: Vec<Region>) {
        self.asked.update_value(|a| {
            a.insert(key.clone());
        });
        self.got.update(|m| {
            m.insert(key, Some(regions));
        });
    }
}

/// The region tree as far as this visit has needed it, shared through context (the app
/// provides it; see [`region_label`] and [`RegionPicker`]).
#[derive(Clone, Copy)]
pub struct Regions {
    paths: Cache,
    children: Cache,
}

impl Default for Regions {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether `code` can be a region code at all (so that typing does not ask the server).
fn is_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

impl Regions {
    pub fn new() -> Regions {
        Regions {
            paths: Cache::new(),
            children: Cache::new(),
        }
    }

    /// The region and its ancestors, province first (tracked); `None` while loading and for a
    /// code that names no region.
    pub fn path(self, code: &str) -> Option<Vec<Region>> {
        if !is_code(code) {
            return None;
        }
        let owned = code.to_string();
        self.paths
            .get(code, move || api::regions::path(owned))
            .flatten()
            .filter(|p| !p.is_empty())
    }

    /// The regions one level below `parent`, the provinces for `None` (tracked); `None` while
    /// loading.
    pub fn children(self, parent: Option<&str>) -> Option<Vec<Region>> {
        let owned = parent.map(str::to_string);
        self.children
            .get(parent.unwrap_or(""), move || api::regions::children(owned))
            .flatten()
    }

    /// A path the app already holds (a pick from the selects), so it is not asked for.
    fn remember(self, path: Vec<Region>) {
        if let Some(last) = path.last() {
            self.paths.put(last.code.clone(), path);
        }
    }
}

/// A region's own name in the language.
fn name(r: &Region, locale: Locale) -> &str {
    match locale {
        Locale::Zh => &r.name_zh,
        Locale::En => &r.name_en,
    }
}

/// Levels that group rather than name a place (`市辖区` under 北京市, `省直辖县级行政区划`).
fn is_grouping(r: &Region) -> bool {
    r.level == 2
        && (r.name_zh == "市辖区" || r.name_zh == "县" || r.name_zh.ends_with("直辖县级行政区划"))
}

/// A path's names as the language writes places: province first in Chinese (`湖北省 武汉市`),
/// smallest first in English (`Wuhan, Hubei`); grouping levels left out between places.
pub fn path_label(path: &[Region], locale: Locale) -> String {
    let last = path.len().saturating_sub(1);
    let names: Vec<&str> = path
        .iter()
        .enumerate()
        .filter(|(n, r)| *n == last || !is_grouping(r))
        .map(|(_, r)| name(r, locale))
        .collect();
    match locale {
        Locale::Zh => names.join(" "),
        Locale::En => names.into_iter().rev().collect::<Vec<_>>().join(", "),
    }
}

/// A region code as people read it (tracked): its names once known; the code itself while they
/// load, or when it names no region.
pub fn region_label(code: &str, locale: Locale) -> String {
    use_context::<Regions>()
        .and_then(|r| r.path(code))
        .map(|p| path_label(&p, locale))
        .unwrap_or_else(|| code.to_string())
}

/// The region field of a record form. `value` holds the code of the most specific level chosen
/// (what the API takes); the selects show its path, and `#f-region` shows the code itself, where
/// a user may also type one (an unknown code is the server's to refuse, on this field).
#[component]
pub fn RegionPicker(value: RwSignal<String>) -> impl IntoView {
    let i = use_i18n();
    let regions = expect_context::<Regions>();
    let chosen = Memo::new(move |_| value.with(|v| regions.path(v.trim())).unwrap_or_default());
    view! {
        <div class="region-picker">
            <RegionLevel id="f-region-province" level=0 label=K::Province regions chosen value />
            <RegionLevel id="f-region-city" level=1 label=K::City regions chosen value />
            <RegionLevel id="f-region-district" level=2 label=K::District regions chosen value />
            <input
                id="f-region"
                type="text"
                inputmode="numeric"
                maxlength="6"
                placeholder=move || i.t(K::RegionCode)
                bind:value=value
            />
            <Show when=move || value.with(|v| !v.is_empty())>
                <button type="button" id="f-region-clear" on:click=move |_| value.set(String::new())>
                    {move || i.t(K::Clear)}
                </button>
            </Show>
        </div>
    }
}

/// One level's select: shown once the level above is chosen and has regions below it.
#[component]
fn RegionLevel(
    id: &'static str,
    level: usize,
    label: K,
    regions: Regions,
    chosen: Memo<Vec<Region>>,
    value: RwSignal<String>,
) -> impl IntoView {
    let i = use_i18n();
    let options = Memo::new(move |_| {
        let parent = match level {
            0 => Some(None),
            _ => chosen.with(|c| c.get(level - 1).map(|r| Some(r.code.clone()))),
        };
        parent
            .and_then(|p| regions.children(p.as_deref()))
            .unwrap_or_default()
    });
    let current = move || chosen.with(|c| c.get(level).map(|r| r.code.clone()).unwrap_or_default());
    // The levels above stay; the blank choice leaves the level above as the value.
    let pick = move |code: String| {
        let mut path: Vec<Region> = chosen.get_untracked().into_iter().take(level).collect();
        if let Some(r) = options.with_untracked(|o| o.iter().find(|r| r.code == code).cloned()) {
            path.push(r);
            regions.remember(path.clone());
        }
        value.set(path.last().map(|r| r.code.clone()).unwrap_or_default());
    };
    view! {
        <Show when=move || options.with(|o| !o.is_empty())>
            <select
                id=id
                aria-label=move || i.t(label)
                prop:value=current
                on:change=move |ev| pick(event_target_value(&ev))
            >
                <option value="">{move || i.t(label)}</option>
                <For each=move || options.get() key=|r| r.code.clone() let:r>
                    {
                        let (code, shown) = (r.code.clone(), r.code.clone());
                        view! {
                            <option value=code selected=move || current() == shown>
                                {move || name(&r, i.locale()).to_string()}
                            </option>
                        }
                    }
                </For>
            </select>
        </Show>
    }
}
