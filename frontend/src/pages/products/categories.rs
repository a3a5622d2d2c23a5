//! The product category tree (`/products/categories`): add a category at the top, add a
//! subcategory, rename, move under another category (or to the top) and delete an empty one.
//! Each change sends the version read (`If-Match`); a stale one reloads the tree, then asks to
//! try again. The server refuses a move under the category itself or one of its subcategories (422
//! `cycle`), shown on the move's input like any field error.

use super::{CategoryOptions, Tree};
use crate::api::{self, ApiError};
use crate::components::{ErrorNotice, Loading};
use crate::form::{FieldErrors, FormErrors, FormField};
use crate::i18n::{use_i18n, K};
use crate::routes;
use domain::product::{ProductCategory, ProductCategoryInput};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use serde_json::json;
use uuid::Uuid;

/// What the row editor is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edit {
    /// Adding a subcategory under the row.
    Sub(Uuid),
    Rename(Uuid),
    Move(Uuid),
}

impl Edit {
    fn id(self) -> Uuid {
        match self {
            Edit::Sub(id) | Edit::Rename(id) | Edit::Move(id) => id,
        }
    }
}

/// The state of the page's one open editor (and of the top-level "add").
#[derive(Debug, Clone, Copy)]
struct Editor {
    tree: Tree,
    editing: RwSignal<Option<Edit>>,
    /// The name typed (subcategory, rename).
    text: RwSignal<String>,
    /// The new parent chosen for a move (`""`: the top).
    target: RwSignal<String>,
    errors: FormErrors,
    failed: RwSignal<Option<ApiError>>,
    stale: RwSignal<bool>,
    busy: RwSignal<bool>,
}

impl Editor {
    fn open(&self, edit: Edit) {
        let current = self
            .tree
            .nodes
            .with_untracked(|n| n.iter().find(|c| c.id == edit.id()).cloned());
        self.text.set(match (edit, &current) {
            (Edit::Rename(_), Some(c)) => c.name.clone(),
            _ => String::new(),
        });
        self.target.set(
            current
                .and_then(|c| c.parent_id)
                .map(|p| p.to_string())
                .unwrap_or_default(),
        );
        self.errors.clear();
        self.failed.set(None);
        self.stale.set(false);
        self.editing.set(Some(edit));
    }

    fn close(&self) {
        self.editing.set(None);
        self.errors.clear();
        self.failed.set(None);
    }

    fn node(&self, id: Uuid) -> Option<ProductCategory> {
        self.tree
            .nodes
            .with_untracked(|n| n.iter().find(|c| c.id == id).cloned())
    }

    /// The position after `parent`'s last child.
    fn next_position(&self, parent: Option<Uuid>) -> i32 {
        self.tree.nodes.with_untracked(|n| {
            n.iter()
                .filter(|c| c.parent_id == parent)
                .map(|c| c.position + 1)
                .max()
                .unwrap_or(0)
        })
    }

    /// A change's answer: the tree again, or its errors where they belong.
    fn settle<T>(&self, result: Result<T, ApiError>, errors: FormErrors) {
        self.busy.set(false);
        match result {
            Ok(_) => {
                self.close();
                self.tree.reload();
            }
            Err(e) => match e.status() {
                Some(422) if !e.field_errors().is_empty() => errors.set(e.field_errors().to_vec()),
                Some(412) => {
                    // Saving again waits for the latest versions.
                    let (stale, busy) = (self.stale, self.busy);
                    busy.set(true);
                    self.tree.reload_then(move || {
                        let _ = stale.try_set(true);
                        let _ = busy.try_set(false);
                    });
                }
                _ => self.failed.set(Some(e)),
            },
        }
    }

    fn save(&self) {
        let Some(edit) = self.editing.get_untracked() else {
            return;
        };
        if self.busy.get_untracked() {
            return;
        }
        self.errors.clear();
        self.failed.set(None);
        self.stale.set(false);
        let Some(node) = self.node(edit.id()) else {
            return self.close();
        };
        let name = self.text.get_untracked().trim().to_string();
        let target = self.target.get_untracked().parse::<Uuid>().ok();
        self.busy.set(true);
        let me = *self;
        spawn_local(async move {
            let result = match edit {
                Edit::Sub(parent) => {
                    let input = ProductCategoryInput {
                        name,
                        parent_id: Some(parent),
                        position: me.next_position(Some(parent)),
                    };
                    api::products::create_category(&input).await.map(|_| ())
                }
                Edit::Rename(_) => api::products::update_category(&node, &json!({ "name": name }))
                    .await
                    .map(|_| ()),
                Edit::Move(_) => {
                    api::products::update_category(&node, &json!({ "parent_id": target }))
                        .await
                        .map(|_| ())
                }
            };
            me.settle(result, me.errors);
        });
    }
}

#[component]
pub fn ProductCategoriesPage() -> impl IntoView {
    let i = use_i18n();
    let tree = Tree::load();
    let editor = Editor {
        tree,
        editing: RwSignal::new(None),
        text: RwSignal::new(String::new()),
        target: RwSignal::new(String::new()),
        errors: FormErrors::new(),
        failed: RwSignal::new(None),
        stale: RwSignal::new(false),
        busy: RwSignal::new(false),
    };
    // The top-level "add": its own name and errors.
    let top_name = RwSignal::new(String::new());
    let top_errors = FormErrors::new();
    let top_failed = RwSignal::new(None::<ApiError>);
    let add_top = move |ev: SubmitEvent| {
        ev.prevent_default();
        top_errors.clear();
        top_failed.set(None);
        let input = ProductCategoryInput {
            name: top_name.get_untracked().trim().to_string(),
            parent_id: None,
            position: editor.next_position(None),
        };
        spawn_local(async move {
            match api::products::create_category(&input).await {
                Ok(_) => {
                    top_name.set(String::new());
                    tree.reload();
                }
                Err(e) if e.status() == Some(422) && !e.field_errors().is_empty() => {
                    top_errors.set(e.field_errors().to_vec())
                }
                Err(e) => top_failed.set(Some(e)),
            }
        });
    };

    let rows = move || {
        let ordered = tree.ordered();
        if ordered.is_empty() {
            return view! { <p class="empty" id="no-categories">{move || i.t(K::NoCategories)}</p> }
                .into_any();
        }
        view! {
            <ul class="category-tree" id="category-tree">
                {ordered
                    .into_iter()
                    .map(|(c, depth)| view! { <CategoryRow category=c depth editor /> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };

    view! {
        <section class="page categories-page">
            <div class="page-head">
                <h1>{move || i.t(K::CategoriesTitle)}</h1>
                <div class="actions">
                    <A href=routes::PRODUCTS attr:class="button">{move || i.t(K::BackToList)}</A>
                </div>
            </div>
            <p class="hint">{move || i.t(K::CategoriesHint)}</p>
            <form class="filters add-category" id="add-category-form" on:submit=add_top novalidate>
                <FormField label=K::CategoryName field="name" errors=top_errors>
                    <input id="f-name" type="text" maxlength="60" bind:value=top_name />
                </FormField>
                <button type="submit" class="primary" id="add-category">{move || i.t(K::AddCategory)}</button>
            </form>
            {move || top_failed.get().map(|e| view! { <ErrorNotice error=e /> })}
            <Show when=move || editor.stale.get()>
                <div class="notice warning" role="alert" id="categories-stale">
                    <p>{move || i.t(K::CategoryStale)}</p>
                </div>
            </Show>
            {move || tree.error.get().map(|e| view! { <ErrorNotice error=e on_retry=move |_| tree.reload() /> })}
            <Show when=move || tree.loaded.get() fallback=|| view! { <Loading /> }>
                <div class="panel">{rows}</div>
            </Show>
        </section>
    }
}

/// One category: its name, links and actions, and the editor when it is open here.
#[component]
fn CategoryRow(category: ProductCategory, depth: usize, editor: Editor) -> impl IntoView {
    let i = use_i18n();
    let id = category.id;
    let confirming = RwSignal::new(false);
    let row_error = RwSignal::new(None::<ApiError>);
    let products = routes::products_in(&editor.tree.subtree(id));
    let delete = {
        let category = category.clone();
        move |_| {
            if !confirming.get_untracked() {
                confirming.set(true);
                return;
            }
            let category = category.clone();
            row_error.set(None);
            spawn_local(async move {
                let result = api::products::delete_category(&category).await;
                confirming.set(false);
                match result {
                    Ok(()) => editor.tree.reload(),
                    Err(e) if e.status() == Some(412) => {
                        let stale = editor.stale;
                        editor.tree.reload_then(move || {
                            let _ = stale.try_set(true);
                        });
                    }
                    Err(e) => row_error.set(Some(e)),
                }
            });
        }
    };
    let here = move || editor.editing.get().filter(|e| e.id() == id);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        editor.save();
    };
    let editor_view = move || {
        here().map(|edit| {
            let input = match edit {
                Edit::Sub(_) | Edit::Rename(_) => view! {
                    <div class="field" class:invalid=move || editor.errors.has("name") data-field="name">
                        <label for="category-input">{move || i.t(K::CategoryName)}</label>
                        <input id="category-input" type="text" maxlength="60" bind:value=editor.text />
                        <FieldErrors errors=editor.errors field="name" />
                    </div>
                }
                .into_any(),
                Edit::Move(_) => {
                    view! {
                        <div class="field" class:invalid=move || editor.errors.has("parent_id") data-field="parent_id">
                            <label for="move-target">{move || i.t(K::MoveUnder)}</label>
                            <select
                                id="move-target"
                                prop:value=move || editor.target.get()
                                on:change=move |ev| editor.target.set(event_target_value(&ev))
                            >
                                <option value="">{move || i.t(K::TopLevel)}</option>
                                <CategoryOptions tree=editor.tree except=id selected=Signal::derive(move || editor.target.get()) />
                            </select>
                            <FieldErrors errors=editor.errors field="parent_id" />
                        </div>
                    }
                    .into_any()
                }
            };
            view! {
                <form class="category-editor" id="category-editor" on:submit=on_submit novalidate>
                    {input}
                    <div class="actions">
                        <button type="submit" class="primary" id="category-save" disabled=move || editor.busy.get()>
                            {move || i.t(if matches!(edit, Edit::Sub(_)) { K::Create } else { K::Save })}
                        </button>
                        <button type="button" id="category-cancel" on:click=move |_| editor.close()>
                            {move || i.t(K::Cancel)}
                        </button>
                    </div>
                    {move || editor.failed.get().map(|e| view! { <ErrorNotice error=e /> })}
                </form>
            }
        })
    };
    let not_empty = move || {
        row_error
            .get()
            .map(|e| match e.status() {
                Some(409) => view! {
                    <p class="field-error" role="alert" id="category-not-empty">{move || i.t(K::CategoryNotEmpty)}</p>
                }
                .into_any(),
                _ => view! { <ErrorNotice error=e /> }.into_any(),
            })
    };
    view! {
        <li
            class="category"
            data-id=id.to_string()
            data-name=category.name.clone()
            data-depth=depth.to_string()
        >
            <div class="category-row">
                <span class="category-name">{category.name.clone()}</span>
                <span class="row-actions">
                    <A href=products attr:class="view-products">{move || i.t(K::ViewProducts)}</A>
                    <button type="button" class="link add-sub" on:click=move |_| editor.open(Edit::Sub(id))>
                        {move || i.t(K::AddSubcategory)}
                    </button>
                    <button type="button" class="link rename" on:click=move |_| editor.open(Edit::Rename(id))>
                        {move || i.t(K::Rename)}
                    </button>
                    <button type="button" class="link move" on:click=move |_| editor.open(Edit::Move(id))>
                        {move || i.t(K::MoveCategory)}
                    </button>
                    <button type="button" class="link danger delete" on:click=delete>
                        {move || i.t(if confirming.get() { K::ConfirmDelete } else { K::Delete })}
                    </button>
                </span>
            </div>
            {not_empty}
            {editor_view}
        </li>
    }
}
