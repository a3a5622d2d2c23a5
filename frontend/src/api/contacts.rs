//! `/contacts`, and an account's contacts.

use super::records::Resource;
use domain::contact::Contact;

pub const PATH: &str = "/contacts";
pub const CONTACTS: Resource<Contact> = Resource::new(PATH);

/// `/accounts/{id}/contacts`.
pub fn of_account(account: uuid::Uuid) -> String {
    format!("{}/{account}/contacts", super::accounts::PATH)
}
