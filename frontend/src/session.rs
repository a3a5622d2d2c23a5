//! The signed-in session: the access token in localStorage, and who to tell when it ends. The
//! refresh token lives in the server's HttpOnly `kehu_refresh` cookie, out of reach of scripts.

use domain::auth::TokenResponse;
use std::cell::RefCell;

const ACCESS: &str = "kehu.access_token";
/// Where earlier versions kept the refresh token; removed when a session ends.
const LEGACY_REFRESH: &str = "kehu.refresh_token";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// A value kept in localStorage (also used for the language choice).
pub fn stored(key: &str) -> Option<String> {
    storage()?.get_item(key).ok()?
}

pub fn store(key: &str, value: &str) {
    if let Some(s) = storage() {
        // A full or disabled storage only costs the user a sign-in after reload.
        let _ = s.set_item(key, value);
    }
}

fn forget(key: &str) {
    if let Some(s) = storage() {
        let _ = s.remove_item(key);
    }
}

pub fn access_token() -> Option<String> {
    stored(ACCESS)
}

/// Signed in on this browser: an access token, renewed through the cookie when it expires.
pub fn has_session() -> bool {
    access_token().is_some()
}

/// Keeps the access token; the refresh token stays in its cookie, never in storage.
pub fn save_tokens(tokens: &TokenResponse) {
    store(ACCESS, &tokens.access_token);
    forget(LEGACY_REFRESH);
}

thread_local! {
    static ON_END: RefCell<Option<Box<dyn Fn()>>> = const { RefCell::new(None) };
}

/// Registers what happens when the session ends (the app shows the sign-in page).
pub fn on_end(f: impl Fn() + 'static) {
    ON_END.with(|h| *h.borrow_mut() = Some(Box::new(f)));
}

/// Forgets the tokens and tells the app: signed out, or a 401 that refreshing could not fix.
///
/// The app is told on the next tick: a 401 ends the session in the middle of a page's request,
/// and the page must finish that update before the switch to sign-in disposes it (a page whose
/// signals vanish while its pending updates still run would panic).
pub fn end() {
    forget(ACCESS);
    forget(LEGACY_REFRESH);
    leptos::prelude::set_timeout(
        || {
            ON_END.with(|h| {
                if let Some(f) = h.borrow().as_ref() {
                    f();
                }
            })
        },
        std::time::Duration::ZERO,
    );
}

/// Who is signed in, shared through context (see [`use_auth`]).
#[derive(Clone, Copy)]
pub struct Auth {
    pub signed_in: leptos::prelude::RwSignal<bool>,
    /// `GET /me`, while signed in.
    pub me: leptos::prelude::LocalResource<Option<domain::auth::Me>>,
    /// The organization's users (names for owner ids); empty when the role may not list them.
    pub directory: leptos::prelude::LocalResource<Vec<domain::auth::User>>,
    /// The organization's pipelines with their stages, the default first.
    pub pipelines: leptos::prelude::LocalResource<Vec<domain::pipeline::Pipeline>>,
    /// The organization's picklists (industry, source, …), its own values or the built-in ones.
    pub picklists: leptos::prelude::LocalResource<Vec<domain::picklist::Picklist>>,
    /// The customer pools (公海) the caller is a member of (an admin: all of them).
    pub pools: leptos::prelude::LocalResource<Vec<domain::pool::Pool>>,
}

impl Auth {
    pub fn new() -> Auth {
        use leptos::prelude::*;
        let signed_in = RwSignal::new(has_session());
        let me = LocalResource::new(move || {
            let on = signed_in.get();
            async move {
                if on {
                    crate::api::auth::me().await.ok()
                } else {
                    None
                }
            }
        });
        let directory = LocalResource::new(move || {
            let on = signed_in.get();
            async move {
                if on {
                    crate::api::auth::users().await.unwrap_or_default()
                } else {
                    Vec::new()
                }
            }
        });
        let pipelines = LocalResource::new(move || {
            let on = signed_in.get();
            async move {
                if on {
                    crate::api::opportunities::pipelines()
                        .await
                        .unwrap_or_default()
                } else {
                    Vec::new()
                }
            }
        });
        let picklists = LocalResource::new(move || {
            let on = signed_in.get();
            async move {
                if on {
                    crate::api::picklists::all().await.unwrap_or_default()
                } else {
                    Vec::new()
                }
            }
        });
        let pools = LocalResource::new(move || {
            let on = signed_in.get();
            async move {
                if on {
                    crate::api::pools::list_all().await.unwrap_or_default()
                } else {
                    Vec::new()
                }
            }
        });
        on_end(move || signed_in.set(false));
        Auth {
            signed_in,
            me,
            directory,
            pipelines,
            picklists,
            pools,
        }
    }

    /// A picklist's values (tracked): the organization's once loaded, the built-in ones before.
    pub fn picklist(&self, name: &str) -> Vec<domain::picklist::PicklistValue> {
        use leptos::prelude::*;
        self.picklists
            .get()
            .and_then(|all| all.into_iter().find(|p| p.name == name))
            .map(|p| p.values)
            .or_else(|| domain::picklist::defaults(name))
            .unwrap_or_default()
    }

    /// A stage of any pipeline, by id (tracked).
    pub fn stage(&self, id: uuid::Uuid) -> Option<domain::pipeline::Stage> {
        use leptos::prelude::*;
        self.pipelines
            .get()
            .unwrap_or_default()
            .into_iter()
            .flat_map(|p| p.stages)
            .find(|s| s.id == id)
    }

    /// A customer pool's name, by id (tracked); a short id when it is not one of the caller's.
    pub fn pool_name(&self, id: uuid::Uuid) -> String {
        use leptos::prelude::*;
        self.pools
            .get()
            .and_then(|all| all.into_iter().find(|p| p.id == id).map(|p| p.name))
            .unwrap_or_else(|| id.to_string()[..8].to_string())
    }

    /// The caller's role, once known (tracked).
    pub fn role(&self) -> Option<domain::role::Role> {
        use leptos::prelude::*;
        self.me.get().flatten().map(|m| m.user.role)
    }

    /// Whether the caller manages others' records: a manager or an admin (tracked).
    pub fn manages(&self) -> bool {
        use domain::role::Role;
        matches!(self.role(), Some(Role::Admin | Role::Manager))
    }

    pub fn my_id(&self) -> Option<uuid::Uuid> {
        use leptos::prelude::*;
        self.me.get().flatten().map(|m| m.user.id)
    }

    /// A user's name; "me" for the caller; a short id when unknown.
    pub fn user_name(&self, id: uuid::Uuid, me_label: &str) -> String {
        use leptos::prelude::*;
        if self.my_id() == Some(id) {
            let name = self
                .me
                .get()
                .flatten()
                .map(|m| m.user.name)
                .unwrap_or_default();
            return format!("{name} ({me_label})");
        }
        self.directory
            .get()
            .and_then(|users| users.into_iter().find(|u| u.id == id).map(|u| u.name))
            .unwrap_or_else(|| id.to_string()[..8].to_string())
    }
}

impl Default for Auth {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_auth() -> Auth {
    leptos::prelude::expect_context::<Auth>()
}
