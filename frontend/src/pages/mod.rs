//! One module per page.

mod accounts;
mod login;
mod not_found;
mod search;

pub use accounts::{AccountDetailPage, AccountEditPage, AccountNewPage, AccountsListPage};
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use search::SearchPage;
