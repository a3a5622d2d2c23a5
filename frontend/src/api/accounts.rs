//! `/accounts`.

use super::records::Resource;
use domain::account::Account;

pub const PATH: &str = "/accounts";
pub const ACCOUNTS: Resource<Account> = Resource::new(PATH);
