//! Account pages: list, record, form.

mod detail;
mod form;
mod list;
mod pool;

pub use detail::AccountDetailPage;
pub use form::{AccountEditPage, AccountNewPage};
pub use list::AccountsListPage;
