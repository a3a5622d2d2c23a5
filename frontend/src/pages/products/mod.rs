//! Product pages (产品): the list (filtered by category), a product's page, its form, and the
//! category tree editor; what they share: field labels, how a value reads, and the tree.

mod categories;
mod detail;
mod form;
mod list;

pub use categories::ProductCategoriesPage;
pub use detail::ProductDetailPage;
pub use form::{ProductEditPage, ProductNewPage};
pub use list::ProductsListPage;

use crate::api::{self, ApiError};
use domain::product::ProductCategory;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

/// The organization's category tree, loaded once per page and reloaded after each change.
#[derive(Debug, Clone, Copy)]
pub struct Tree {
    pub nodes: RwSignal<Vec<ProductCategory>>,
    pub loaded: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
}

impl Tree {
    pub fn load() -> Tree {
        let tree = Tree {
            nodes: RwSignal::new(Vec::new()),
            loaded: RwSignal::new(false),
            error: RwSignal::new(None),
        };
        tree.reload();
        tree
    }

    pub fn reload(&self) {
        self.reload_then(|| ());
    }

    /// Reloads, then runs `done` (e.g. to offer a retry once the latest versions are there).
    pub fn reload_then(&self, done: impl FnOnce() + 'static) {
        let tree = *self;
        spawn_local(async move {
            match api::products::categories().await {
                Ok(nodes) => {
                    let _ = tree.error.try_set(None);
                    let _ = tree.nodes.try_set(nodes);
                }
                Err(e) => {
                    let _ = tree.error.try_set(Some(e));
                }
            }
            let _ = tree.loaded.try_set(true);
            done();
        });
    }

    /// The categories depth first (each under its parent, siblings in order), with their depth
    /// (tracked).
    pub fn ordered(&self) -> Vec<(ProductCategory, usize)> {
        self.nodes.with(|n| ordered(n))
    }

    /// `id` and every category below it (tracked).
    pub fn subtree(&self, id: Uuid) -> Vec<Uuid> {
        self.nodes.with(|n| subtree(n, id))
    }

    /// The category's name with its ancestors' (`日化用品 › 香皂`), tracked; `None` when unknown.
    pub fn path(&self, id: Uuid) -> Option<String> {
        self.nodes.with(|n| path(n, id))
    }
}

fn ordered(nodes: &[ProductCategory]) -> Vec<(ProductCategory, usize)> {
    fn place(
        nodes: &[ProductCategory],
        parent: Option<Uuid>,
        depth: usize,
        out: &mut Vec<(ProductCategory, usize)>,
    ) {
        let mut children: Vec<&ProductCategory> =
            nodes.iter().filter(|c| c.parent_id == parent).collect();
        children.sort_by(|a, b| (a.position, &a.name).cmp(&(b.position, &b.name)));
        for c in children {
            out.push((c.clone(), depth));
            // The server keeps the tree acyclic; the depth bound guards against a bad answer.
            if depth < 64 {
                place(nodes, Some(c.id), depth + 1, out);
            }
        }
    }
    let mut out = Vec::new();
    place(nodes, None, 0, &mut out);
    out
}

fn subtree(nodes: &[ProductCategory], id: Uuid) -> Vec<Uuid> {
    let mut out = vec![id];
    let mut i = 0;
    while i < out.len() && out.len() <= nodes.len() {
        let parent = out[i];
        out.extend(
            nodes
                .iter()
                .filter(|c| c.parent_id == Some(parent) && !out.contains(&c.id))
                .map(|c| c.id)
                .collect::<Vec<_>>(),
        );
        i += 1;
    }
    out
}

fn path(nodes: &[ProductCategory], id: Uuid) -> Option<String> {
    let mut names = Vec::new();
    let mut at = Some(id);
    while let Some(cur) = at {
        let c = nodes.iter().find(|c| c.id == cur)?;
        names.push(c.name.clone());
        at = c.parent_id;
        if names.len() > 64 {
            break;
        }
    }
    names.reverse();
    Some(names.join(" › "))
}

/// The options of a category select: every category (but `except`), indented by depth (tracked).
#[component]
pub fn CategoryOptions(
    tree: Tree,
    selected: Signal<String>,
    #[prop(optional)] except: Option<Uuid>,
) -> impl IntoView {
    move || {
        tree.ordered()
            .into_iter()
            .filter(|(c, _)| Some(c.id) != except)
            .map(|(c, depth)| {
                let id = c.id.to_string();
                let value = id.clone();
                let indent = "\u{3000}".repeat(depth);
                view! {
                    <option value=value selected=move || selected.get() == id>
                        {format!("{indent}{}", c.name)}
                    </option>
                }
            })
            .collect_view()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn node(name: &str, id: u128, parent: Option<u128>, position: i32) -> ProductCategory {
        let at = DateTime::from_timestamp(0, 0).expect("the epoch");
        ProductCategory {
            id: Uuid::from_u128(id),
            name: name.into(),
            parent_id: parent.map(Uuid::from_u128),
            position,
            version: 1,
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn the_tree_reads_depth_first_with_paths_and_subtrees() {
        let nodes = vec![
            node("饮料", 2, None, 1),
            node("日化", 1, None, 0),
            node("香皂", 3, Some(1), 0),
            node("药皂", 4, Some(3), 0),
        ];
        let names: Vec<(String, usize)> = ordered(&nodes)
            .into_iter()
            .map(|(c, d)| (c.name, d))
            .collect();
        assert_eq!(
            names,
            [("日化", 0), ("香皂", 1), ("药皂", 2), ("饮料", 0)].map(|(n, d)| (n.to_string(), d))
        );
        assert_eq!(
            path(&nodes, Uuid::from_u128(4)).as_deref(),
            Some("日化 › 香皂 › 药皂")
        );
        assert_eq!(
            subtree(&nodes, Uuid::from_u128(1)),
            [1, 3, 4].map(Uuid::from_u128)
        );
        assert_eq!(subtree(&nodes, Uuid::from_u128(2)), [Uuid::from_u128(2)]);
    }
}
