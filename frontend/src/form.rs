//! The one form-error mechanism: the field errors of a 422 (and the app's own parse errors) kept
//! per field and shown next to the field that has them, in the user's language.

use crate::i18n::{field_error_message, use_i18n, K};
use domain::problem::FieldError;
use leptos::prelude::*;

#[derive(Debug, Clone, Copy)]
pub struct FormErrors {
    errors: RwSignal<Vec<FieldError>>,
}

impl Default for FormErrors {
    fn default() -> Self {
        Self::new()
    }
}

/// Whether `path` (`annual_revenue.amount`, `tags[0]`) belongs to the form field `field`.
fn belongs(path: &str, field: &str) -> bool {
    path == field
        || path
            .strip_prefix(field)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}

impl FormErrors {
    pub fn new() -> FormErrors {
        FormErrors {
            errors: RwSignal::new(Vec::new()),
        }
    }

    pub fn set(&self, errors: Vec<FieldError>) {
        self.errors.set(errors);
    }

    pub fn clear(&self) {
        self.errors.set(Vec::new());
    }

    pub fn push(&self, field: &str, code: &str, message: &str) {
        self.errors
            .update(|e| e.push(FieldError::new(field, code, message)));
    }

    pub fn is_empty(&self) -> bool {
        self.errors.with(Vec::is_empty)
    }

    pub fn is_empty_untracked(&self) -> bool {
        self.errors.with_untracked(Vec::is_empty)
    }

    pub fn has(&self, field: &str) -> bool {
        self.errors
            .with(|e| e.iter().any(|x| belongs(&x.field, field)))
    }

    pub fn for_field(&self, field: &str) -> Vec<FieldError> {
        self.errors.with(|e| {
            e.iter()
                .filter(|x| belongs(&x.field, field))
                .cloned()
                .collect()
        })
    }

    /// Errors of fields the form does not show (reported above the form).
    pub fn unplaced(&self, shown: &[&str]) -> Vec<FieldError> {
        self.errors.with(|e| {
            e.iter()
                .filter(|x| !shown.iter().any(|f| belongs(&x.field, f)))
                .cloned()
                .collect()
        })
    }
}

/// A labelled field: the input (children), an optional hint, and the field's errors.
/// The input should have `id="f-{field}"`.
#[component]
pub fn FormField(
    label: K,
    field: &'static str,
    errors: FormErrors,
    #[prop(optional)] hint: Option<K>,
    children: Children,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <div class="field" class:invalid=move || errors.has(field) data-field=field>
            <label for=format!("f-{field}")>{move || i.t(label)}</label>
            {children()}
            {hint.map(|h| view! { <small class="hint">{move || i.t(h)}</small> })}
            <FieldErrors errors field />
        </div>
    }
}

/// The messages of one field's errors.
#[component]
pub fn FieldErrors(errors: FormErrors, field: &'static str) -> impl IntoView {
    let i = use_i18n();
    move || {
        errors
            .for_field(field)
            .into_iter()
            .map(|e| {
                view! {
                    <p class="field-error" role="alert">
                        {field_error_message(&e.code, &e.message, i.locale())}
                    </p>
                }
            })
            .collect_view()
    }
}

/// The banner above a form with errors: a summary, and the errors of fields not on the form.
#[component]
pub fn FormErrorSummary(errors: FormErrors, shown: &'static [&'static str]) -> impl IntoView {
    let i = use_i18n();
    move || {
        (!errors.is_empty()).then(|| {
            let rest = errors.unplaced(shown);
            view! {
                <div class="notice error" role="alert">
                    <p>{i.t(K::FixMarkedFields)}</p>
                    <ul>
                        {rest
                            .into_iter()
                            .map(|e| {
                                view! {
                                    <li>
                                        {e.field.clone()} ": "
                                        {field_error_message(&e.code, &e.message, i.locale())}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}
