//! What the bell and the inbox share: the unread count (read every [`POLL`] while signed in,
//! and again after the user acts), where a notification leads, how old it is in words, and
//! opening one (marked read, then its record).

use crate::api::{self, activities::ACTIVITIES};
use crate::components::record_href;
use crate::i18n::{format_datetime, I18n, Locale, K};
use crate::routes;
use crate::session::use_auth;
use chrono::{DateTime, Utc};
use domain::notification::{Notification, NotificationKind};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use std::time::Duration;
use uuid::Uuid;

/// How often the bell asks for the unread count while signed in.
pub const POLL: Duration = Duration::from_secs(30);

/// The bell's count, shared through context (see [`use_unread`]).
#[derive(Clone, Copy)]
pub struct Unread {
    pub count: RwSignal<i64>,
    signed_in: RwSignal<bool>,
    /// Bumped by every read and every local change: an older answer is dropped.
    generation: StoredValue<u64>,
}

impl Unread {
    /// Reads the count when signed in (and every [`POLL`]); 0 when signed out.
    pub fn new() -> Unread {
        let auth = use_auth();
        let unread = Unread {
            count: RwSignal::new(0),
            signed_in: auth.signed_in,
            generation: StoredValue::new(0),
        };
        Effect::new(move |_| {
            if auth.signed_in.get() {
                unread.refresh();
            } else {
                unread.generation.update_value(|g| *g += 1);
                unread.count.set(0);
            }
        });
        // Lives as long as the app; a hidden tab does not ask.
        let _ = set_interval_with_handle(
            move || {
                let hidden = web_sys::window()
                    .and_then(|w| w.document())
                    .is_some_and(|d| d.hidden());
                if auth.signed_in.get_untracked() && !hidden {
                    unread.refresh();
                }
            },
            POLL,
        );
        unread
    }

    /// Asks the server for the count (failures keep the last one).
    pub fn refresh(self) {
        if !self.signed_in.get_untracked() {
            return;
        }
        self.generation.update_value(|g| *g += 1);
        let mine = self.generation.get_value();
        spawn_local(async move {
            if let Ok(n) = api::notifications::unread_count().await {
                if self.generation.try_get_value() == Some(mine) {
                    let _ = self.count.try_set(n);
                }
            }
        });
    }

    /// A change made here (one read: -1; all read: to 0) shown before the server confirms it.
    pub fn adjust(self, to: impl FnOnce(i64) -> i64) {
        self.generation.update_value(|g| *g += 1);
        self.count.update(|n| *n = to(*n).max(0));
    }
}

impl Default for Unread {
    fn default() -> Self {
        Self::new()
    }
}

pub fn use_unread() -> Unread {
    expect_context::<Unread>()
}

/// Where a notification leads.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A page of the app.
    Page(String),
    /// A task (activities have no page of their own): the record it is attached to.
    Activity(Uuid),
}

/// Where `n` leads: its record's page, a webhook's delivery log, an approval's page, the
/// caller's neglected accounts or those returning to the pool soonest (`me`), the pool they
/// returned to, or else the inbox.
pub fn target(n: &Notification, me: Option<Uuid>) -> Target {
    match (n.entity.as_deref(), n.entity_id) {
        (Some("activity"), Some(id)) => Target::Activity(id),
        (Some("webhook"), Some(id)) => Target::Page(format!("{}?endpoint={id}", routes::WEBHOOKS)),
        (Some("approval"), Some(id)) => Target::Page(routes::approval_href(id)),
        (Some(entity), Some(id)) => Target::Page(
            routes::entity_href(entity, id).unwrap_or_else(|| routes::NOTIFICATIONS.into()),
        ),
        _ if n.kind == NotificationKind::AccountsNeglected => {
            Target::Page(routes::neglected_accounts(me))
        }
        _ if n.kind == NotificationKind::PoolReturnSoon => {
            Target::Page(routes::returning_accounts(me))
        }
        _ if n.kind == NotificationKind::PoolReturned => Target::Page(routes::POOLS.into()),
        _ => Target::Page(routes::NOTIFICATIONS.into()),
    }
}

/// The page of a target: a task's record (its tasks page when the task cannot be read).
async fn resolve(t: Target) -> String {
    match t {
        Target::Page(href) => href,
        Target::Activity(id) => match ACTIVITIES.get(id).await {
            Ok(reply) => {
                let href = record_href(reply.body.entity, reply.body.entity_id);
                if href.is_empty() {
                    routes::TASKS.into()
                } else {
                    href
                }
            }
            Err(_) => routes::TASKS.into(),
        },
    }
}

/// Opens `n`: marks it read when it is unread (the count goes down at once; `on_read` gets it
/// as the server has it) and goes to where it leads.
pub fn open(
    n: &Notification,
    unread: Unread,
    me: Option<Uuid>,
    navigate: impl Fn(&str, NavigateOptions) + 'static,
    on_read: Option<Callback<Notification>>,
) {
    let (id, was_unread) = (n.id, n.read_at.is_none());
    let goes = target(n, me);
    if was_unread {
        unread.adjust(|c| c - 1);
        spawn_local(async move {
            if let Ok(read) = api::notifications::mark_read(id).await {
                if let Some(f) = on_read {
                    f.run(read);
                }
            }
            unread.refresh();
        });
    }
    spawn_local(async move {
        let href = resolve(goes).await;
        navigate(&href, NavigateOptions::default());
    });
}

/// How long ago `at` was, in words (`3 分钟前`); the date and time after a week.
pub fn ago(at: &DateTime<Utc>, i: I18n) -> String {
    let secs = ((js_sys::Date::now() - at.timestamp_millis() as f64) / 1000.0).max(0.0) as i64;
    ago_text(secs, |k, n| i.t_n(k, n), || i.t(K::JustNow))
        .unwrap_or_else(|| format_datetime(at, i.locale()))
}

/// The words for `secs` ago, `None` past a week (shown as a date).
fn ago_text(
    secs: i64,
    with_n: impl Fn(K, i64) -> String,
    just_now: impl Fn() -> &'static str,
) -> Option<String> {
    const MINUTE: i64 = 60;
    const HOUR: i64 = 60 * MINUTE;
    const DAY: i64 = 24 * HOUR;
    Some(match secs {
        s if s < MINUTE => just_now().to_string(),
        s if s < HOUR => with_n(K::MinutesAgo, s / MINUTE),
        s if s < DAY => with_n(K::HoursAgo, s / HOUR),
        s if s < 7 * DAY => with_n(K::DaysAgo, s / DAY),
        _ => return None,
    })
}

/// A notification's text in the current language (tracked).
pub fn title(n: &Notification, i: I18n) -> String {
    match i.locale() {
        Locale::Zh => n.title.zh.clone(),
        Locale::En => n.title.en.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::registry::Names;
    use serde_json::json;

    fn notice(kind: NotificationKind, entity: Option<&str>, id: Option<Uuid>) -> Notification {
        Notification {
            id: Uuid::from_u128(1),
            kind,
            title: Names {
                zh: "标题".into(),
                en: "Title".into(),
            },
            entity: entity.map(str::to_string),
            entity_id: id,
            params: json!({}),
            read_at: None,
            created_at: DateTime::<Utc>::default(),
        }
    }

    #[test]
    fn each_notice_leads_to_its_record() {
        let id = Uuid::from_u128(7);
        let me = Some(Uuid::from_u128(9));
        let t = |kind, entity| target(&notice(kind, entity, Some(id)), me);
        assert_eq!(
            t(NotificationKind::RecordsTransferred, Some("account")),
            Target::Page(format!("/accounts/{id}"))
        );
        assert_eq!(
            t(NotificationKind::RecordsTransferred, Some("opportunity")),
            Target::Page(format!("/opportunities/{id}"))
        );
        assert_eq!(
            t(NotificationKind::TaskReminder, Some("activity")),
            Target::Activity(id)
        );
        assert_eq!(
            t(NotificationKind::WebhookDisabled, Some("webhook")),
            Target::Page(format!("/admin/webhooks?endpoint={id}"))
        );
        assert_eq!(
            t(NotificationKind::ApprovalRequested, Some("approval")),
            Target::Page(format!("/approvals/{id}"))
        );
        assert_eq!(
            t(NotificationKind::Mentioned, Some("activity")),
            Target::Activity(id)
        );
        let neglected = target(&notice(NotificationKind::AccountsNeglected, None, None), me);
        assert_eq!(
            neglected,
            Target::Page(format!(
                "/accounts?neglected=true&owner_id={}",
                Uuid::from_u128(9)
            ))
        );
        let soon = target(&notice(NotificationKind::PoolReturnSoon, None, None), me);
        assert_eq!(
            soon,
            Target::Page(format!(
                "/accounts?sort=recycle_at&owner_id={}",
                Uuid::from_u128(9)
            ))
        );
        let returned = target(&notice(NotificationKind::PoolReturned, None, None), me);
        assert_eq!(returned, Target::Page("/pools".into()));
        assert_eq!(
            t(NotificationKind::RecordsTransferred, Some("unknown")),
            Target::Page("/notifications".into())
        );
    }

    #[test]
    fn ages_read_in_words_for_a_week() {
        let words =
            |s| ago_text(s, |k, n| format!("{k:?}:{n}"), || "now").unwrap_or_else(|| "date".into());
        assert_eq!(words(5), "now");
        assert_eq!(words(125), "MinutesAgo:2");
        assert_eq!(words(3 * 3600 + 5), "HoursAgo:3");
        assert_eq!(words(2 * 86400), "DaysAgo:2");
        assert_eq!(words(8 * 86400), "date");
    }
}
