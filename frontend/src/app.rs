//! The app: contexts (language, session), the header, and the routes.

use crate::components::{Header, PageBoundary, Regions};
use crate::i18n::I18n;
use crate::pages::TasksPage;
use crate::pages::{
    AccountDetailPage, AccountEditPage, AccountNewPage, AccountsListPage, ContactDetailPage,
    ContactEditPage, ContactNewPage, ContactsListPage, CustomFieldsPage, DuplicatesPage, HomePage,
    LeadDetailPage, LeadEditPage, LeadNewPage, LeadsListPage, LoginPage, NotFoundPage,
    OpportunitiesListPage, OpportunityDetailPage, OpportunityEditPage, OpportunityNewPage,
    PipelinePage, ProductCategoriesPage, ProductDetailPage, ProductEditPage, ProductNewPage,
    ProductsListPage, SearchPage, SettingsPage, TransferPage,
};
use crate::routes;
use crate::session::{use_auth, Auth};
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    provide_context(I18n::new());
    provide_context(Auth::new());
    provide_context(Regions::new());
    view! {
        <Router>
            <Header />
            <main class="app-main">
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/") view=|| signed_in(HomePage) />
                    <Route path=path!("/accounts") view=|| signed_in(AccountsListPage) />
                    <Route path=path!("/accounts/new") view=|| signed_in(AccountNewPage) />
                    <Route path=path!("/accounts/:id") view=|| signed_in(AccountDetailPage) />
                    <Route path=path!("/accounts/:id/edit") view=|| signed_in(AccountEditPage) />
                    <Route path=path!("/contacts") view=|| signed_in(ContactsListPage) />
                    <Route path=path!("/contacts/new") view=|| signed_in(ContactNewPage) />
                    <Route path=path!("/contacts/:id") view=|| signed_in(ContactDetailPage) />
                    <Route path=path!("/contacts/:id/edit") view=|| signed_in(ContactEditPage) />
                    <Route path=path!("/leads") view=|| signed_in(LeadsListPage) />
                    <Route path=path!("/leads/new") view=|| signed_in(LeadNewPage) />
                    <Route path=path!("/leads/:id") view=|| signed_in(LeadDetailPage) />
                    <Route path=path!("/leads/:id/edit") view=|| signed_in(LeadEditPage) />
                    <Route path=path!("/opportunities") view=|| signed_in(OpportunitiesListPage) />
                    <Route path=path!("/opportunities/new") view=|| signed_in(OpportunityNewPage) />
                    <Route path=path!("/opportunities/:id") view=|| signed_in(OpportunityDetailPage) />
                    <Route path=path!("/opportunities/:id/edit") view=|| signed_in(OpportunityEditPage) />
                    <Route path=path!("/products") view=|| signed_in(ProductsListPage) />
                    <Route path=path!("/products/new") view=|| signed_in(ProductNewPage) />
                    <Route path=path!("/products/categories") view=|| signed_in(ProductCategoriesPage) />
                    <Route path=path!("/products/:id") view=|| signed_in(ProductDetailPage) />
                    <Route path=path!("/products/:id/edit") view=|| signed_in(ProductEditPage) />
                    <Route path=path!("/pipeline") view=|| signed_in(PipelinePage) />
                    <Route path=path!("/search") view=|| signed_in(SearchPage) />
                    <Route path=path!("/tasks") view=|| signed_in(TasksPage) />
                    <Route path=path!("/duplicates") view=|| signed_in(DuplicatesPage) />
                    <Route path=path!("/admin/transfer") view=|| signed_in(TransferPage) />
                    <Route path=path!("/admin/settings") view=|| signed_in(SettingsPage) />
                    <Route path=path!("/admin/custom-fields") view=|| signed_in(CustomFieldsPage) />
                </Routes>
            </main>
        </Router>
    }
}

/// A page for signed-in users, inside an error boundary; others go to sign-in and come back.
fn signed_in<V: IntoView + 'static>(page: fn() -> V) -> impl IntoView {
    let auth = use_auth();
    let location = use_location();
    move || {
        if auth.signed_in.get() {
            view! { <PageBoundary>{page()}</PageBoundary> }.into_any()
        } else {
            let path = location.pathname.get_untracked();
            let search = location.search.get_untracked();
            let here = if search.is_empty() {
                path
            } else {
                format!("{path}?{search}")
            };
            view! { <Redirect path=routes::login_href(&here) /> }.into_any()
        }
    }
}
