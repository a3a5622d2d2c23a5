//! Choosing a record (an account, a contact) by typing part of its name: the collection's quick
//! search offers the matches, a click picks one. The value is the record's id.

use crate::api::{ApiError, Call};
use crate::i18n::{use_i18n, K};
use domain::list::Page;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;

/// What a pick list shows of a record (accounts and contacts both have a `name`).
#[derive(Debug, Clone, Deserialize)]
struct Named {
    id: uuid::Uuid,
    name: String,
}

async fn matches(
    path: String,
    q: String,
    scope: Vec<(String, String)>,
) -> Result<Vec<Named>, ApiError> {
    let mut call = Call::get(&path).params(&scope).param("limit", "8");
    if !q.trim().is_empty() {
        call = call.param("q", q.trim().to_string());
    } else {
        call = call.param("sort", "-updated_at");
    }
    call.send::<Page<Named>>().await.map(|r| r.body.data)
}

/// `api_path` is the collection (`/accounts`); `scope` narrows the matches (e.g. the contacts of
/// the chosen account).
#[component]
pub fn RecordPicker(
    #[prop(into)] id: String,
    #[prop(into)] api_path: String,
    value: RwSignal<String>,
    #[prop(optional, into)] scope: Option<Signal<Vec<(String, String)>>>,
) -> impl IntoView {
    let i = use_i18n();
    let text = RwSignal::new(String::new());
    let options = RwSignal::new(Vec::<Named>::new());
    let open = RwSignal::new(false);
    let generation = StoredValue::new(0u64);
    let scope_now = move || scope.map(|s| s.get_untracked()).unwrap_or_default();
    let api_path = StoredValue::new(api_path);

    // A value set from outside (editing, or a preset) shows the record's name.
    Effect::new(move |_| {
        let v = value.get();
        let Ok(uuid) = v.parse::<uuid::Uuid>() else {
            return;
        };
        if options.with_untracked(|o| {
            o.iter()
                .any(|n| n.id == uuid && n.name == text.get_untracked())
        }) {
            return;
        }
        spawn_local(async move {
            let one = format!("{}/{uuid}", api_path.get_value());
            if let Ok(r) = Call::get(&one).send::<Named>().await {
                if value.get_untracked() == uuid.to_string() {
                    text.set(r.body.name);
                }
            }
        });
    });

    let search = move |q: String| {
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        let scope = scope_now();
        spawn_local(async move {
            let found = matches(api_path.get_value(), q, scope)
                .await
                .unwrap_or_default();
            if generation.try_get_value() == Some(mine) {
                options.set(found);
                open.set(true);
            }
        });
    };

    view! {
        <div class="picker">
            <input
                id=id
                type="text"
                autocomplete="off"
                placeholder=move || i.t(K::TypeToSearch)
                prop:value=move || text.get()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    text.set(v.clone());
                    if v.trim().is_empty() {
                        value.set(String::new());
                    }
                    search(v);
                }
                on:focus=move |_| search(text.get_untracked())
                on:blur=move |_| {
                    // Late enough for a click on an option to land first.
                    set_timeout(move || open.set(false), std::time::Duration::from_millis(250));
                }
                on:keydown=move |ev| {
                    if ev.key() == "Escape" {
                        open.set(false);
                    }
                }
            />
            <Show when=move || open.get() && !options.with(Vec::is_empty)>
                <ul class="picker-options" role="listbox">
                    {move || {
                        options
                            .get()
                            .into_iter()
                            .map(|n| {
                                let name = n.name.clone();
                                view! {
                                    <li>
                                        <button
                                            type="button"
                                            class="picker-option"
                                            data-id=n.id.to_string()
                                            on:click=move |_| {
                                                // A search still under way must not reopen
                                                // the list over what was chosen.
                                                generation.update_value(|g| *g += 1);
                                                text.set(name.clone());
                                                value.set(n.id.to_string());
                                                open.set(false);
                                            }
                                        >
                                            {n.name.clone()}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </div>
    }
}
