//! The record platform in the web app: an entity's list page ([`list::RecordList`]), record
//! form ([`form::RecordForm`]) and record page ([`page::RecordPage`]) built from the registry's
//! description of its built-in fields (`domain::registry::fields`) and the metadata's custom
//! fields, over its collection read as JSON. What is special to an entity (a product's category
//! tree, an account's related lists, a lead's conversion) plugs in through [`ListHooks`],
//! [`FormHooks`] and [`PageHooks`].

pub mod form;
pub mod inputs;
pub mod list;
pub mod page;

pub use form::RecordForm;
pub use list::{Column, RecordList};
pub use page::RecordPage;

use crate::i18n::I18n;
use crate::list::{ListState, Row};
use domain::registry::fields::FieldDef;
use domain::registry::Label;
use inputs::Draft;
use leptos::prelude::*;
use serde_json::Value;
use uuid::Uuid;

/// A registry label in the current language (tracked).
pub fn label(i: I18n, l: Label) -> &'static str {
    crate::registry::label(i, l)
}

/// The `id` of a record's JSON.
pub fn id_of(record: &Value) -> Option<Uuid> {
    record.get("id")?.as_str()?.parse().ok()
}

/// A record picker's search parameters (`account_id` → the chosen account's id).
pub type Scope = Signal<Vec<(String, String)>>;

/// What an entity's form adds to the generic one. Every part is optional.
#[derive(Clone, Copy, Default)]
pub struct FormHooks {
    /// The input of an [`Input::Special`](domain::registry::fields::Input::Special) field,
    /// bound to its text.
    pub input: Option<Callback<(&'static FieldDef, RwSignal<String>), AnyView>>,
    /// The search scope of a reference's picker (contacts of the chosen account).
    pub scope: Option<Callback<(&'static str, Draft), Scope>>,
    /// After the inputs show a record read for editing: what the entity's form shows otherwise
    /// (an opportunity's probability only when it was set by hand).
    pub fill: Option<Callback<(Value, Draft)>>,
    /// Whether a field is shown now (an opportunity's stage only for a new one); a field an
    /// enum value requires is shown only with that value in any case. Hidden fields are sent
    /// empty.
    pub shown: Option<Callback<(&'static str, Draft), bool>>,
}

/// What an entity's record page adds to the generic one. Every part is optional.
#[derive(Clone, Copy, Default)]
pub struct PageHooks {
    /// The heading's content (the record's name when not given).
    pub title: Option<Callback<Value, AnyView>>,
    /// How a field's value reads when the entity shows it its own way (`None`: as its input
    /// says); the only way an [`Input::Special`](domain::registry::fields::Input::Special)
    /// field's value is shown other than as text.
    pub value: Option<Callback<(&'static FieldDef, Value), Option<AnyView>>>,
    /// The related lists under the record (an account's contacts and opportunities), given its
    /// id and a count of its changes on the page (to reload with it).
    pub related: Option<Callback<(Uuid, Signal<u32>), AnyView>>,
    /// More actions next to edit and delete (a lead's conversion), given the record and what
    /// reloads it.
    pub actions: Option<Callback<(Value, Callback<()>), AnyView>>,
    /// What comes under the heading (what a converted lead became, a deal's stage control),
    /// given the record and what reloads it.
    pub banner: Option<Callback<(Value, Callback<()>), AnyView>>,
}

/// What an entity's list page adds to the generic one. Every part is optional.
#[derive(Clone, Copy, Default)]
pub struct ListHooks {
    /// A cell's content when the entity shows the field its own way (`None`: as the column
    /// and the field's input say); the only way an
    /// [`Input::Special`](domain::registry::fields::Input::Special) field shows other than as
    /// text.
    pub cell: Option<Callback<(&'static str, Row), Option<AnyView>>>,
    /// Attributes of a row's `<tr>` besides `data-id` (a product's `data-code`, `class`).
    pub row: Option<Callback<Row, Vec<(&'static str, String)>>>,
    /// The entity's filters, in the filter bar after the quick search.
    pub filters: Option<Callback<ListState<Row>, AnyView>>,
    /// What the page head holds after the title (the "new" button, the board's link).
    pub actions: Option<Callback<ListState<Row>, AnyView>>,
    /// A last cell of each row with what can be done to it (a pool's "claim"), given the row
    /// and the list (to drop or reload rows after).
    pub row_actions: Option<Callback<(Row, ListState<Row>), AnyView>>,
}
