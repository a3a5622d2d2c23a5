//! One module per page.

mod accounts;
mod approval_processes;
mod approvals;
mod chat_bots;
mod contacts;
mod custom_fields;
mod duplicates;
mod entities;
mod home;
mod jobs;
mod leads;
mod login;
mod not_found;
mod notifications;
mod opportunities;
mod pool_settings;
mod pools;
mod products;
pub(crate) mod record;
mod search;
mod settings;
mod tasks;
mod transfer;
mod webhooks;
mod workflow_rules;

pub use accounts::{AccountDetailPage, AccountEditPage, AccountNewPage, AccountsListPage};
pub use approval_processes::ApprovalProcessesPage;
pub use approvals::{ApprovalPage, ApprovalsPage};
pub use chat_bots::ChatBotsPage;
pub use contacts::{ContactDetailPage, ContactEditPage, ContactNewPage, ContactsListPage};
pub use custom_fields::CustomFieldsPage;
pub use duplicates::DuplicatesPage;
pub use entities::{EntityPage, PageKind, ENTITY_PAGES};
pub use home::HomePage;
pub use jobs::JobsPage;
pub use leads::{LeadDetailPage, LeadEditPage, LeadNewPage, LeadsListPage};
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use notifications::NotificationsPage;
pub use opportunities::{
    OpportunitiesListPage, OpportunityDetailPage, OpportunityEditPage, OpportunityNewPage,
    PipelinePage,
};
pub use pool_settings::PoolSettingsPage;
pub use pools::PoolsPage;
pub use products::{
    ProductCategoriesPage, ProductDetailPage, ProductEditPage, ProductNewPage, ProductsListPage,
};
pub use search::SearchPage;
pub use settings::SettingsPage;
pub use tasks::TasksPage;
pub use transfer::TransferPage;
pub use webhooks::WebhooksPage;
pub use workflow_rules::WorkflowRulesPage;
