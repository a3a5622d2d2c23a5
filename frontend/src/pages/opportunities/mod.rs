//! Opportunity pages: list, record, form, the pipeline board; and what they share.

mod board;
mod detail;
mod form;
mod list;
mod moving;

pub use board::PipelinePage;
pub use detail::OpportunityDetailPage;
pub use form::{OpportunityEditPage, OpportunityNewPage};
pub use list::OpportunitiesListPage;

use crate::i18n::Locale;
use domain::pipeline::StageKind;

/// A deal status's label, from the registry.
pub fn status_label(kind: StageKind, locale: Locale) -> &'static str {
    crate::i18n::enum_label(
        domain::registry::fields::DEAL_STATUSES,
        kind.as_str(),
        locale,
    )
}
