//! Lead pages: list, record (with conversion), form.

mod convert;
mod detail;
mod form;
mod list;

pub use detail::LeadDetailPage;
pub use form::{LeadEditPage, LeadNewPage};
pub use list::LeadsListPage;
