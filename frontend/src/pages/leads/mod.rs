//! Lead pages: list, record (with conversion), form.

mod convert;
mod detail;
mod form;
mod list;

pub use detail::LeadDetailPage;
pub use form::{LeadEditPage, LeadNewPage};
pub use list::LeadsListPage;

use crate::i18n::Locale;
use domain::lead::LeadStatus;

/// A lead status's label, from the registry.
pub fn status_label(status: LeadStatus, locale: Locale) -> &'static str {
    crate::i18n::enum_label(
        domain::registry::fields::LEAD_STATUSES,
        status.as_str(),
        locale,
    )
}
