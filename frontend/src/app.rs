//! The app: contexts (language, session, the unread count), the header, and the routes.

use crate::components::{Header, PageBoundary, Regions};
use crate::i18n::I18n;
use crate::notices::Unread;
use crate::pages::{
    ApprovalPage, ApprovalProcessesPage, ApprovalsPage, ChatBotsPage, CustomFieldsPage,
    DuplicatesPage, EntityPage, HomePage, JobsPage, LoginPage, NotFoundPage, NotificationsPage,
    PageKind, PipelinePage, PoolSettingsPage, PoolsPage, ProductCategoriesPage, SearchPage,
    SettingsPage, TasksPage, TransferPage, WebhooksPage, WorkflowRulesPage,
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
    provide_context(Unread::new());
    provide_context(Regions::new());
    view! {
        <Router>
            <Header />
            <main class="app-main">
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/") view=|| signed_in(HomePage) />
                    <Route path=path!("/products/categories") view=|| signed_in(ProductCategoriesPage) />
                    <Route path=path!("/pipeline") view=|| signed_in(PipelinePage) />
                    <Route path=path!("/search") view=|| signed_in(SearchPage) />
                    <Route path=path!("/tasks") view=|| signed_in(TasksPage) />
                    <Route path=path!("/pools") view=|| signed_in(PoolsPage) />
                    <Route path=path!("/duplicates") view=|| signed_in(DuplicatesPage) />
                    <Route path=path!("/admin/transfer") view=|| signed_in(TransferPage) />
                    <Route path=path!("/admin/settings") view=|| signed_in(SettingsPage) />
                    <Route path=path!("/admin/custom-fields") view=|| signed_in(CustomFieldsPage) />
                    <Route path=path!("/admin/jobs") view=|| signed_in(JobsPage) />
                    <Route path=path!("/admin/webhooks") view=|| signed_in(WebhooksPage) />
                    <Route path=path!("/admin/chat-bots") view=|| signed_in(ChatBotsPage) />
                    <Route path=path!("/admin/pools") view=|| signed_in(PoolSettingsPage) />
                    <Route path=path!("/admin/workflow-rules") view=|| signed_in(WorkflowRulesPage) />
                    <Route path=path!("/admin/approval-processes") view=|| signed_in(ApprovalProcessesPage) />
                    <Route path=path!("/notifications") view=|| signed_in(NotificationsPage) />
                    <Route path=path!("/approvals") view=|| signed_in(ApprovalsPage) />
                    <Route path=path!("/approvals/:id") view=|| signed_in(ApprovalPage) />
                    // Each entity's pages (`pages::ENTITY_PAGES`), after the fixed addresses.
                    <Route path=path!("/:collection") view=|| signed_in(|| view! { <EntityPage kind=PageKind::List /> }) />
                    <Route path=path!("/:collection/new") view=|| signed_in(|| view! { <EntityPage kind=PageKind::New /> }) />
                    <Route path=path!("/:collection/:id") view=|| signed_in(|| view! { <EntityPage kind=PageKind::Record /> }) />
                    <Route path=path!("/:collection/:id/edit") view=|| signed_in(|| view! { <EntityPage kind=PageKind::Edit /> }) />
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
