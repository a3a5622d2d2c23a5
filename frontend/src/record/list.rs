//! The list page of any entity: its title and total, the saved views, the filter bar with the
//! entity's filters, the custom-column controls, then a table of the built-in columns the page
//! names (headers by the registry's labels, sortable where the metadata says; values as the
//! registry's inputs read them, [`FieldText`], references by the record's name), the custom
//! columns, the totals row and the footer. What is an entity's own (a deal's stage, a
//! product's category path, its "new" button) plugs in through [`ListHooks`].
//!
//! ```text
//! const COLUMNS: &[Column] = &[Column::link("name"), Column::new("owner_id")];
//! view! { <RecordList entity=&LEAD spec=SPEC columns=COLUMNS placeholder=K::QuickSearch /> }
//! ```

use super::ListHooks;
use crate::components::{FieldText, FilterBar, SortHeader};
use crate::custom::list::{CustomCells, CustomHeaders, CustomList, CustomListControls, CustomSums};
use crate::custom::LookupLink;
use crate::i18n::{choice_of, use_i18n, K};
use crate::list::{
    use_record_list, ListFooter, ListSpec, ListTotal, ListViews, Row, SumCell, SumsRow,
};
use crate::session::use_auth;
use domain::registry::fields::Input;
use domain::registry::{self, Entity};
use leptos::attr::any_attribute::{AnyAttribute, IntoAnyAttribute};
use leptos::attr::custom::custom_attribute;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use std::collections::HashMap;
use uuid::Uuid;

/// One built-in column of a record list: a field of the entity, or one of every record
/// (`created_at`), as the API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub field: &'static str,
    /// Summed over every matching record in the totals row (a number or money).
    pub summed: bool,
    /// Its value links to the record (the name, a product's code).
    pub link: bool,
    /// The cell's class (besides `num` for numbers and money).
    pub class: Option<&'static str>,
    /// An enum value shown as a badge classed `badge {prefix}-{key}` (an account's class).
    pub badge: Option<&'static str>,
}

impl Column {
    pub const fn new(field: &'static str) -> Column {
        Column {
            field,
            summed: false,
            link: false,
            class: None,
            badge: None,
        }
    }

    /// The record's link, its cell classed by the field (`name`, a product's `code`).
    pub const fn link(field: &'static str) -> Column {
        Column {
            link: true,
            class: Some(field),
            ..Column::new(field)
        }
    }

    pub const fn summed(self) -> Column {
        Column {
            summed: true,
            ..self
        }
    }

    pub const fn class(self, class: &'static str) -> Column {
        Column {
            class: Some(class),
            ..self
        }
    }

    pub const fn badge(self, prefix: &'static str) -> Column {
        Column {
            badge: Some(prefix),
            ..self
        }
    }
}

/// The list of `entity`'s records that `spec` describes, showing `columns` in order, then the
/// custom columns chosen. `placeholder` is the quick search's hint, `title` the heading (the
/// entity's plural label when not given), `also` the fields the hooks read besides the columns
/// (a deal's `status` next to its stage): the list asks for exactly these (`fields=`).
#[component]
pub fn RecordList(
    entity: &'static Entity,
    spec: ListSpec,
    columns: &'static [Column],
    placeholder: K,
    #[prop(optional)] title: Option<K>,
    #[prop(optional)] also: &'static [&'static str],
    #[prop(optional)] hooks: ListHooks,
    /// Where the rows come from instead of `spec`'s collection (see [`use_record_list`]).
    #[prop(optional, into)]
    source: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let i = use_i18n();
    let fields = columns.iter().map(|c| c.field).chain(also.iter().copied());
    let sums = columns.iter().filter(|c| c.summed).map(|c| c.field);
    let list = use_record_list(spec, fields.collect(), sums.collect(), source);
    let custom = CustomList::new(&list, |r: &Row| &r.custom);
    let query = list.query;
    let names = reference_names(entity, columns, list.items);
    let text = FieldText { entity };
    let heading = move || match title {
        Some(k) => i.t(k),
        None => crate::registry::label(i, entity.plural_label),
    };
    let label = move |field: &'static str| Signal::derive(move || text.label_text(field, i));
    // A header sorts where the API says the field sorts (the metadata's list description).
    let meta = list.meta;
    let headers = columns
        .iter()
        .map(|c| {
            let (field, text) = (c.field, label(c.field));
            move || {
                if meta.is_some_and(|m| m.sortable(field)) {
                    view! { <SortHeader text field query page_path=spec.page_path /> }.into_any()
                } else {
                    view! { <th data-column=field>{text}</th> }.into_any()
                }
            }
        })
        .collect_view();
    // The totals row's caption takes the first column's place.
    let sum_cells = move || {
        columns
            .iter()
            .skip(1)
            .map(|c| {
                if c.summed {
                    view! { <SumCell sums=list.sums field=c.field label=label(c.field) /> }
                        .into_any()
                } else {
                    view! { <td></td> }.into_any()
                }
            })
            .collect_view()
    };
    let row = move |r: Row| {
        let cells = columns
            .iter()
            .map(|&c| {
                let own = hooks.cell.and_then(|h| h.run((c.field, r.clone())));
                let content = own.unwrap_or_else(|| value_view(entity, c, &r, names));
                let numeric = matches!(
                    entity.field(c.field).map(|f| f.input),
                    Some(Input::Money | Input::Integer)
                );
                let class: Vec<_> = [c.class, numeric.then_some("num")]
                    .into_iter()
                    .flatten()
                    .collect();
                let class = (!class.is_empty()).then(|| class.join(" "));
                view! {
                    <td class=class data-column=c.field data-label=label(c.field)>{content}</td>
                }
            })
            .collect_view();
        let attrs: Vec<AnyAttribute> = hooks
            .row
            .map(|h| h.run(r.clone()))
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| custom_attribute(k, v).into_any_attr())
            .collect();
        let actions = hooks
            .row_actions
            .map(|h| view! { <td class="row-actions">{h.run((r.clone(), list))}</td> });
        view! {
            <tr data-id=r.id.to_string() {..attrs}>
                {cells}
                <CustomCells custom values=r.custom />
                {actions}
            </tr>
        }
    };
    view! {
        <section class=format!("page {}-list", entity.plural)>
            <div class="page-head">
                <h1>{heading} <ListTotal total=list.total /></h1>
                {hooks.actions.map(|h| h.run(list))}
            </div>
            <ListViews spec query />
            <FilterBar list placeholder>
                {hooks.filters.map(|h| h.run(list))}
            </FilterBar>
            <CustomListControls custom />
            <div class="table-wrap">
                <table class="records" id=format!("{}-table", entity.plural)>
                    <thead>
                        <tr>
                            {headers}
                            <CustomHeaders custom />
                            {hooks.row_actions.map(|_| view! { <th></th> })}
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || list.items.get() key=|r| (r.id, r.version) children=row />
                    </tbody>
                    <tfoot>
                        <SumsRow list>
                            {sum_cells()}
                            <CustomSums custom />
                            {hooks.row_actions.map(|_| view! { <td></td> })}
                        </SumsRow>
                    </tfoot>
                </table>
            </div>
            <ListFooter list />
        </section>
    }
}

/// A cell's content as the column and the field's input say: the record's link, a badge,
/// the referenced record's name, or the value as text; nothing for no value.
fn value_view(
    entity: &'static Entity,
    c: Column,
    row: &Row,
    names: RwSignal<HashMap<Uuid, String>>,
) -> AnyView {
    let i = use_i18n();
    let auth = use_auth();
    let v = row.get(c.field).clone();
    let text = FieldText { entity };
    if v.is_null() {
        let field = c.field;
        return (move || text.empty_text(field, i)).into_any();
    }
    let input = entity.field(c.field).map(|f| f.input);
    let field = c.field;
    let shown = move || text.value_text(field, &v, auth, i);
    if c.link {
        let href = crate::routes::entity_href(entity.name, row.id).unwrap_or_default();
        return view! { <A href>{shown}</A> }.into_any();
    }
    let key = row.get(field).as_str().unwrap_or_default().to_string();
    match (input, c.badge) {
        (Some(Input::Enum(choices)), Some(prefix)) => {
            let class = format!("badge {prefix}-{key}");
            let label = move || choice_of(choices, &key, i.locale()).unwrap_or_default();
            view! { <span class=class>{label}</span> }.into_any()
        }
        (Some(Input::Reference(target)), _) => match (registry::entity(target), key.parse()) {
            (Some(target), Ok(id)) => {
                let name = Signal::derive(move || names.with(|n| n.get(&id).cloned()));
                view! { <LookupLink entity=target id name /> }.into_any()
            }
            _ => key.into_any(),
        },
        _ => shown.into_any(),
    }
}

/// The names of the records the loaded rows' reference columns point to (a contact's
/// account), one request per target and page of rows.
fn reference_names(
    entity: &'static Entity,
    columns: &'static [Column],
    items: RwSignal<Vec<Row>>,
) -> RwSignal<HashMap<Uuid, String>> {
    let names = RwSignal::new(HashMap::new());
    let references: Vec<(&'static str, &'static Entity)> = columns
        .iter()
        .filter_map(|c| match entity.field(c.field)?.input {
            Input::Reference(target) => Some((c.field, registry::entity(target)?)),
            _ => None,
        })
        .collect();
    Effect::new(move |_| {
        for &(field, target) in &references {
            let ids: Vec<Uuid> = items.with(|rows| {
                rows.iter()
                    .filter_map(|r| r.get(field).as_str()?.parse().ok())
                    .filter(|id| names.with_untracked(|n| !n.contains_key(id)))
                    .collect()
            });
            if ids.is_empty() {
                continue;
            }
            spawn_local(async move {
                let path = format!("/{}", target.plural);
                if let Ok(found) = crate::api::names::names(&path, ids).await {
                    let _ = names.try_update(|n| n.extend(found));
                }
            });
        }
    });
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_column_is_classed_by_its_field_and_builders_add_up() {
        let c = Column::link("code");
        assert!(c.link && !c.summed);
        assert_eq!(c.class, Some("code"));
        let c = Column::new("class").badge("class");
        assert_eq!((c.badge, c.class, c.link), (Some("class"), None, false));
        assert!(Column::new("amount").summed().summed);
    }

    #[test]
    fn a_projected_row_holds_the_fields_asked_for_apart_from_its_keys() {
        let row: Row = serde_json::from_value(serde_json::json!({
            "id": "6f1c1b1e-8c1a-4a51-9d3e-2f4f0d6b8a10",
            "version": 3,
            "name": "丰泽日化",
            "amount": {"amount": "10.00", "currency": "CNY"},
            "custom": {"budget": 5}
        }))
        .expect("a row");
        assert_eq!(row.version, 3);
        assert_eq!(row.get("name"), "丰泽日化");
        assert_eq!(row.get("amount")["currency"], "CNY");
        assert!(row.get("owner_id").is_null());
        assert_eq!(row.custom["budget"], 5);
        let mut keys: Vec<_> = row.fields.keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["amount", "name"]);

        let bare: Row = serde_json::from_value(serde_json::json!({
            "id": "6f1c1b1e-8c1a-4a51-9d3e-2f4f0d6b8a10", "version": 1, "name": "x"
        }))
        .expect("a row without custom values");
        assert!(bare.custom.is_empty());
    }
}
