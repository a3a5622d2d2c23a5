//! Custom values on a record page: each field the record has a value of (deactivated ones too),
//! by section in form order, labelled from the definitions; options by label in the current
//! language, users by name, lookups as links to their records.

use super::{label, lookup_ref, sections, value_text, LookupLink, Meta};
use crate::i18n::use_i18n;
use crate::session::use_auth;
use domain::custom::{CustomField, CustomValues, FieldType};
use leptos::prelude::*;

/// A record's custom values (`meta`: its entity's), under its built-in fields.
#[component]
pub fn CustomValuesView(meta: Meta, values: CustomValues) -> impl IntoView {
    let values = StoredValue::new(values);
    move || {
        let shown: Vec<CustomField> = meta
            .fields()
            .into_iter()
            .filter(|f| values.with_value(|v| v.get(&f.key).is_some_and(|v| !v.is_null())))
            .collect();
        sections(shown)
            .into_iter()
            .map(|(section, fields)| {
                let props = fields
                    .into_iter()
                    .map(|f| view! { <CustomValueProp f values=values.get_value() /> })
                    .collect_view();
                let data_section = section.clone().unwrap_or_default();
                view! {
                    <div class="custom-values" data-section=data_section>
                        {section.map(|s| view! { <h3>{s}</h3> })}
                        <dl class="props">{props}</dl>
                    </div>
                }
            })
            .collect_view()
    }
}

#[component]
fn CustomValueProp(f: CustomField, values: CustomValues) -> impl IntoView {
    let i = use_i18n();
    let auth = use_auth();
    let v = values.get(&f.key).cloned();
    let value = match (f.type_, lookup_ref(&f, v.as_ref())) {
        (FieldType::Lookup, Some((id, entity))) => view! { <LookupLink entity id /> }.into_any(),
        _ => {
            let f = f.clone();
            view! { {move || value_text(&f, v.as_ref(), i, auth)} }.into_any()
        }
    };
    let name = f.clone();
    view! {
        <div class="prop" data-field=f.path()>
            <dt>{move || label(&name, i)}</dt>
            <dd>{value}</dd>
        </div>
    }
}
