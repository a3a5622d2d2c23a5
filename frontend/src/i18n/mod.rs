//! The app's languages: zh-CN (the default) and English, the current one (remembered in
//! localStorage) and what reads in it.
//!
//! * `keys` and `messages`: every label of the app ([`K`]) and its texts in both languages;
//!   `rules` ([`Wf`]) and `approvals` ([`Ap`]): those of workflow rules and of approvals, each
//!   kept with its texts (a `K` holds them: `K::from(Wf::Trigger)`).
//! * `labels`: how values read: picklist choices, classes, stages, yes/no, field errors.
//! * `format`: locale-aware dates, numbers and money.

mod approvals;
mod format;
mod keys;
mod labels;
mod messages;
mod rules;

pub use approvals::Ap;
pub use format::{
    format_date, format_datetime, format_decimal, format_int, format_money, format_totals, today,
};
pub use keys::K;
pub use labels::{
    channel_label, choice_label, choice_of, class_label, enum_label, field_error_message,
    field_type_label, notification_kind_label, platform_label, stage_label, yes_no,
};
pub use rules::Wf;

use crate::session;
use leptos::prelude::*;
use messages::text;

const STORAGE_KEY: &str = "kehu.locale";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Locale {
    Zh,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::Zh, Locale::En];

    /// BCP 47 tag, for `<html lang>` and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Zh => "zh-CN",
            Locale::En => "en",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Locale::Zh => "中文",
            Locale::En => "English",
        }
    }

    pub fn from_tag(tag: &str) -> Option<Locale> {
        Locale::ALL.into_iter().find(|l| l.tag() == tag)
    }

    fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Locale::Zh => zh,
            Locale::En => en,
        }
    }
}

/// The language in use; `Copy`, from context (see [`use_i18n`]).
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    /// The remembered choice, else zh-CN.
    pub fn new() -> I18n {
        let locale = session::stored(STORAGE_KEY)
            .and_then(|t| Locale::from_tag(&t))
            .unwrap_or(Locale::Zh);
        set_document_lang(locale);
        I18n {
            locale: RwSignal::new(locale),
        }
    }

    /// The current locale (tracked: views re-render on a switch).
    pub fn locale(self) -> Locale {
        self.locale.get()
    }

    pub fn set(self, locale: Locale) {
        session::store(STORAGE_KEY, locale.tag());
        set_document_lang(locale);
        self.locale.set(locale);
    }

    /// A label in the current language (tracked).
    pub fn t(self, k: impl Into<K>) -> &'static str {
        let (zh, en) = text(k.into());
        self.locale().pick(zh, en)
    }

    /// A label with `{n}` replaced.
    pub fn t_n(self, k: impl Into<K>, n: i64) -> String {
        self.t(k).replace("{n}", &format_int(n, self.locale()))
    }
}

impl Default for I18n {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

fn set_document_lang(locale: Locale) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", locale.tag());
    }
}
