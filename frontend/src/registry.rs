//! The entity registry (`domain::registry`) as the web app shows it.

use crate::i18n::{I18n, Locale};
use domain::registry::Label;

/// A registry label in the current language (tracked: views re-render on a switch).
pub fn label(i: I18n, l: Label) -> &'static str {
    match i.locale() {
        Locale::Zh => l.zh,
        Locale::En => l.en,
    }
}
