//! The one form-error mechanism: the field errors of a 422 (and the app's own parse errors) kept
//! per field and shown next to the field that has them, in the user's language; a value another
//! record has (a 409 `taken`) links to that record.

use crate::i18n::{field_error_message, use_i18n, K};
use crate::routes;
use domain::problem::{DuplicateCandidate, FieldError};
use leptos::prelude::*;
use leptos_router::components::A;

#[derive(Debug, Clone, Copy)]
pub struct FormErrors {
    errors: RwSignal<Vec<FieldError>>,
    /// The records holding the values refused as `taken` (their reason is the field).
    holders: RwSignal<Vec<DuplicateCandidate>>,
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
            holders: RwSignal::new(Vec::new()),
        }
    }

    pub fn set(&self, errors: Vec<FieldError>) {
        self.holders.set(Vec::new());
        self.errors.set(errors);
    }

    /// A refusal's field errors with the records that hold its taken values.
    pub fn set_with_holders(&self, errors: Vec<FieldError>, holders: Vec<DuplicateCandidate>) {
        self.holders.set(holders);
        self.errors.set(errors);
    }

    pub fn clear(&self) {
        self.holders.set(Vec::new());
        self.errors.set(Vec::new());
    }

    /// The record holding `field`'s taken value, when the refusal named it.
    fn holder(&self, field: &str) -> Option<DuplicateCandidate> {
        self.holders.with(|h| {
            h.iter()
                .find(|c| c.reasons.iter().any(|r| r == field))
                .cloned()
        })
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

    /// Errors of the field itself, not of its parts.
    pub fn exactly(&self, field: &str) -> Vec<FieldError> {
        self.errors
            .with(|e| e.iter().filter(|x| x.field == field).cloned().collect())
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
    #[prop(into)] label: K,
    field: &'static str,
    errors: FormErrors,
    #[prop(optional, into)] hint: Option<K>,
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

/// The messages of one field's errors (`values[2].key`: one part of a list); `exact` leaves out
/// the errors of the field's parts (a list's own errors, not its items').
#[component]
pub fn FieldErrors(
    errors: FormErrors,
    #[prop(into)] field: String,
    #[prop(optional)] exact: bool,
) -> impl IntoView {
    let i = use_i18n();
    move || {
        let mine = if exact {
            errors.exactly(&field)
        } else {
            errors.for_field(&field)
        };
        mine.into_iter()
            .map(|e| {
                let holder = (e.code == "taken").then(|| errors.holder(&e.field)).flatten();
                match holder.and_then(|h| Some((routes::entity_href(&h.entity, h.id)?, h))) {
                    Some((href, h)) => view! {
                        <p class="field-error" role="alert">
                            {move || i.t(K::TakenBy)} " "
                            <A href=href attr:class="taken-by" attr:data-id=h.id.to_string()>{h.name}</A>
                            {move || i.t(K::TakenByAfter)}
                        </p>
                    }
                    .into_any(),
                    None => view! {
                        <p class="field-error" role="alert">
                            {field_error_message(&e.code, &e.message, i.locale())}
                        </p>
                    }
                    .into_any(),
                }
            })
            .collect_view()
    }
}

/// The banner above a form with errors: a summary, and the errors of fields not on the form.
#[component]
pub fn FormErrorSummary(
    errors: FormErrors,
    #[prop(into)] shown: Vec<&'static str>,
) -> impl IntoView {
    let i = use_i18n();
    move || {
        (!errors.is_empty()).then(|| {
            let rest = errors.unplaced(&shown);
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

/// What every record form does with a submission's answer: 422 field errors (and a 409's taken
/// value) onto their fields, 409 candidates into the duplicate dialog, 412 into a reload offer, anything else a notice.
#[derive(Debug, Clone, Copy)]
pub struct Submit {
    pub errors: FormErrors,
    pub failed: RwSignal<Option<crate::api::ApiError>>,
    pub stale: RwSignal<bool>,
    pub duplicates: RwSignal<Option<Vec<domain::problem::DuplicateCandidate>>>,
    pub busy: RwSignal<bool>,
}

impl Default for Submit {
    fn default() -> Self {
        Self::new()
    }
}

impl Submit {
    pub fn new() -> Submit {
        Submit {
            errors: FormErrors::new(),
            failed: RwSignal::new(None),
            stale: RwSignal::new(false),
            duplicates: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }

    /// Starts a submission (clearing the last one's errors); `false` while one is running.
    pub fn begin(&self) -> bool {
        if self.busy.get_untracked() {
            return false;
        }
        self.errors.clear();
        self.failed.set(None);
        self.duplicates.set(None);
        self.busy.set(true);
        true
    }

    /// The submission is over (succeeded, or the form found errors itself).
    pub fn end(&self) {
        self.busy.set(false);
    }

    /// The submission failed: each kind of failure where the user can act on it.
    pub fn fail(&self, e: crate::api::ApiError) {
        self.busy.set(false);
        match e.status() {
            // A 422, or a 409 naming the field whose value another record has (`taken`).
            Some(422 | 409) if !e.field_errors().is_empty() => self
                .errors
                .set_with_holders(e.field_errors().to_vec(), e.candidates().to_vec()),
            Some(409) if !e.candidates().is_empty() => {
                self.duplicates.set(Some(e.candidates().to_vec()))
            }
            Some(412) => self.stale.set(true),
            _ => self.failed.set(Some(e)),
        }
    }

    /// After reloading the latest version.
    pub fn reset(&self) {
        self.errors.clear();
        self.failed.set(None);
        self.stale.set(false);
        self.duplicates.set(None);
        self.busy.set(false);
    }
}

/// Above a form: the error summary, a failure notice, and on 412 the offer to reload.
#[component]
pub fn SubmitNotices(
    submit: Submit,
    /// The fields on the form (the errors of others are listed above it).
    #[prop(into)]
    shown: Vec<&'static str>,
    on_reload: Callback<()>,
) -> impl IntoView {
    let i = use_i18n();
    view! {
        <FormErrorSummary errors=submit.errors shown />
        {move || {
            submit
                .failed
                .get()
                .map(|e| view! { <crate::components::ErrorNotice error=e /> })
        }}
        <Show when=move || submit.stale.get()>
            <div class="notice warning" role="alert" id="stale-notice">
                <strong>{move || i.t(K::StaleTitle)}</strong>
                <p>{move || i.t(K::StaleText)}</p>
                <button type="button" id="reload-latest" on:click=move |_| on_reload.run(())>
                    {move || i.t(K::Reload)}
                </button>
            </div>
        </Show>
    }
}

/// Text of a list input (phones, emails, tags): items separated by commas, 、 or new lines.
pub fn split_list(text: &str) -> Vec<String> {
    text.split([',', '，', '、', '\n', ';', '；'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Trimmed text, `None` when empty.
pub fn opt_text(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_string())
}
