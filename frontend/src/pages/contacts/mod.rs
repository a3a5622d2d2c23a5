//! Contact pages: list, record, form.

mod detail;
mod form;
mod list;

pub use detail::ContactDetailPage;
pub use form::{ContactEditPage, ContactNewPage};
pub use list::ContactsListPage;
