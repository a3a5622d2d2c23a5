//! An organization's team-chat bots and their queue: a notice is queued for each bot that takes
//! its kind by a trigger, in the notice's own transaction (migration 26); the minutely job reads
//! each bot's pending notices and records each post it makes — the log the rate limit counts.

use crate::list::{self, Field, HasId, Kind, ListRequest, Spec};
use crate::schema::chat_bots;
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::StoreError;
use chrono::{DateTime, Duration, Utc};
use diesel::{
    sql_types, ExpressionMethods, OptionalExtension, QueryDsl, Queryable, QueryableByName,
    Selectable, SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::chat::{ChatBot, ChatBotPatch, ChatPlatform};
use domain::list::Page;
use domain::notification::NotificationKind;
use domain::registry::Names;
use serde_json::Value;
use uuid::Uuid;

pub static SPEC: Spec = Spec {
    table: "chat_bots",
    select: "id, platform, name, url, secret, kinds, enabled, version, created_by, created_at, \
             updated_at",
    fields: &[
        Field::new("platform", Kind::Enum(&["wecom", "dingtalk", "feishu"])),
        Field::new("enabled", Kind::Bool),
        Field::new("created_at", Kind::Timestamp).sortable(),
    ],
    default_sort: "created_at",
    owner_column: None,
    soft_delete: false,
    search: None,
};

#[derive(Queryable, QueryableByName, Selectable, Clone)]
#[diesel(table_name = chat_bots)]
pub struct BotRow {
    pub id: Uuid,
    platform: String,
    name: String,
    pub url: String,
    pub secret: Option<String>,
    kinds: Vec<String>,
    enabled: bool,
    version: i32,
    created_by: Option<Uuid>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl BotRow {
    pub fn platform(&self) -> ChatPlatform {
        // The column's check constraint allows only these.
        ChatPlatform::parse(&self.platform).unwrap_or(ChatPlatform::Wecom)
    }
}

impl From<BotRow> for ChatBot {
    fn from(r: BotRow) -> Self {
        ChatBot {
            id: r.id,
            platform: r.platform(),
            name: r.name,
            url: r.url,
            signed: r.secret.is_some(),
            kinds: r
                .kinds
                .iter()
                .filter_map(|k| NotificationKind::parse(k))
                .collect(),
            enabled: r.enabled,
            version: r.version,
            created_by: r.created_by,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

impl HasId for ChatBot {
    fn id(&self) -> Uuid {
        self.id
    }
}

fn kinds(k: &[NotificationKind]) -> Vec<String> {
    k.iter().map(|k| k.as_str().to_string()).collect()
}

/// A checked bot to add.
pub struct NewBot<'a> {
    pub platform: ChatPlatform,
    pub name: &'a str,
    pub url: &'a str,
    pub secret: Option<&'a str>,
    pub kinds: &'a [NotificationKind],
    pub enabled: bool,
}

pub async fn create(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    bot: &NewBot<'_>,
    now: DateTime<Utc>,
) -> Result<ChatBot, StoreError> {
    let row: BotRow = diesel::insert_into(chat_bots::table)
        .values((
            chat_bots::id.eq(Uuid::now_v7()),
            chat_bots::org_id.eq(scope.org_id),
            chat_bots::platform.eq(bot.platform.as_str()),
            chat_bots::name.eq(bot.name),
            chat_bots::url.eq(bot.url),
            chat_bots::secret.eq(bot.secret),
            chat_bots::kinds.eq(kinds(bot.kinds)),
            chat_bots::enabled.eq(bot.enabled),
            chat_bots::created_by.eq(scope.user_id),
            chat_bots::created_at.eq(now),
            chat_bots::updated_at.eq(now),
        ))
        .returning(BotRow::as_returning())
        .get_result(conn)
        .await?;
    Ok(row.into())
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    req: &ListRequest,
) -> Result<Page<ChatBot>, StoreError> {
    list::fetch::<BotRow, ChatBot>(conn, &SPEC, scope, req, None).await
}

/// One of the organization's bots, with its secret (for the sender).
pub async fn row(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
) -> Result<BotRow, StoreError> {
    Ok(chat_bots::table
        .filter(chat_bots::org_id.eq(scope.org_id))
        .filter(chat_bots::id.eq(id))
        .select(BotRow::as_select())
        .first(conn)
        .await?)
}

pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
    patch: &ChatBotPatch,
    now: DateTime<Utc>,
) -> Result<ChatBot, StoreError> {
    let current = row(conn, scope, id).await?;
    StoreError::check_version(current.version, expected)?;
    let secret = match &patch.secret {
        Some(s) => s.clone(),
        None => current.secret.clone(),
    };
    let updated: Option<BotRow> = diesel::update(
        chat_bots::table
            .filter(chat_bots::id.eq(id))
            .filter(chat_bots::version.eq(current.version)),
    )
    .set((
        chat_bots::name.eq(patch.name.as_ref().unwrap_or(&current.name)),
        chat_bots::url.eq(patch.url.as_ref().unwrap_or(&current.url)),
        chat_bots::secret.eq(secret),
        chat_bots::kinds.eq(patch
            .kinds
            .as_deref()
            .map(kinds)
            .unwrap_or(current.kinds.clone())),
        chat_bots::enabled.eq(patch.enabled.unwrap_or(current.enabled)),
        chat_bots::version.eq(current.version + 1),
        chat_bots::updated_at.eq(now),
    ))
    .returning(BotRow::as_returning())
    .get_result(conn)
    .await
    .optional()?;
    updated.map(ChatBot::from).ok_or(StoreError::StaleVersion {
        expected: expected.unwrap_or(current.version),
        current: current.version + 1,
    })
}

pub async fn delete(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
) -> Result<(), StoreError> {
    let n = diesel::delete(
        chat_bots::table
            .filter(chat_bots::org_id.eq(scope.org_id))
            .filter(chat_bots::id.eq(id)),
    )
    .execute(conn)
    .await?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// A bot with notices waiting, and how many posts it took in the last minute.
pub struct Waiting {
    pub bot: BotRow,
    /// Whether its organization reads Chinese.
    pub zh: bool,
    pub posted_last_minute: usize,
    /// Oldest first: (message id, the notice's text in both languages).
    pub notices: Vec<(Uuid, Names)>,
}

#[derive(QueryableByName)]
struct Pending {
    #[diesel(sql_type = sql_types::Uuid)]
    id: Uuid,
    #[diesel(sql_type = sql_types::Text)]
    kind: String,
    #[diesel(sql_type = sql_types::Jsonb)]
    params: Value,
}

/// Takes the next enabled bot with pending notices, other than `skip`, locked for the rest of
/// the caller's transaction (another process skips it meanwhile), with up to `per_bot` of its
/// notices, oldest first. Notices pending for over a day (a bot that kept failing) are given up.
pub async fn lock_next(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    skip: &[Uuid],
    per_bot: i64,
) -> Result<Option<Waiting>, StoreError> {
    let mut sql = Sql::new(
        "SELECT b.id, b.platform, b.name, b.url, b.secret, b.kinds, b.enabled, b.version, \
         b.created_by, b.created_at, b.updated_at FROM chat_bots b WHERE b.enabled \
         AND b.id <> ALL(",
    );
    sql.bind(Bind::UuidArray(skip.to_vec())).push(
        ") AND EXISTS (SELECT 1 FROM chat_messages m WHERE m.bot_id = b.id \
         AND m.state = 'pending') ORDER BY b.id LIMIT 1 FOR UPDATE SKIP LOCKED",
    );
    let Some(bot) = sql.load::<BotRow>(conn).await?.into_iter().next() else {
        return Ok(None);
    };
    let mut stale =
        Sql::new("UPDATE chat_messages SET state = 'failed' WHERE state = 'pending' AND bot_id = ");
    stale
        .bind(Bind::Uuid(bot.id))
        .push(" AND created_at < ")
        .bind(Bind::Timestamp(now - Duration::days(1)));
    stale.execute(conn).await?;
    let mut pending = Sql::new(
        "SELECT m.id, n.kind, n.params FROM chat_messages m \
         JOIN notifications n ON n.id = m.notification_id \
         WHERE m.state = 'pending' AND m.bot_id = ",
    );
    pending
        .bind(Bind::Uuid(bot.id))
        .push(" ORDER BY m.created_at, m.id LIMIT ")
        .bind(Bind::BigInt(per_bot));
    let notices = pending
        .load::<Pending>(conn)
        .await?
        .into_iter()
        .map(|p| {
            let kind = NotificationKind::parse(&p.kind).unwrap_or(NotificationKind::TaskReminder);
            (p.id, domain::notification::title(kind, &p.params))
        })
        .collect();
    let mut recent = Sql::new("SELECT count(*) AS n FROM chat_posts WHERE bot_id = ");
    recent
        .bind(Bind::Uuid(bot.id))
        .push(" AND at > ")
        .bind(Bind::Timestamp(now - Duration::minutes(1)));
    let posted_last_minute = recent.count(conn).await? as usize;
    let mut english = Sql::new(
        "SELECT count(*) AS n FROM organizations o JOIN chat_bots b ON b.org_id = o.id \
         WHERE o.locale = 'en' AND b.id = ",
    );
    english.bind(Bind::Uuid(bot.id));
    let zh = english.count(conn).await? == 0;
    Ok(Some(Waiting {
        bot,
        zh,
        posted_last_minute,
        notices,
    }))
}

/// Records a post to `bot` carrying `messages` (in the transaction holding the bot's lock):
/// sent without an `error`, otherwise they stay pending.
pub async fn record_post(
    conn: &mut AsyncPgConnection,
    bot_id: Uuid,
    messages: &[Uuid],
    digest: bool,
    now: DateTime<Utc>,
    status: Option<i32>,
    error: Option<&str>,
) -> Result<(), StoreError> {
    let post = Uuid::now_v7();
    let c = conn;
    {
        let mut log = Sql::new(
            "INSERT INTO chat_posts (id, bot_id, at, messages, digest, status, error) VALUES (",
        );
        log.bind(Bind::Uuid(post))
            .push(", ")
            .bind(Bind::Uuid(bot_id))
            .push(", ")
            .bind(Bind::Timestamp(now))
            .push(", ")
            .bind(Bind::Int(messages.len() as i32))
            .push(", ")
            .bind(Bind::Bool(digest))
            .push(", ");
        log.bind_opt(status.map(Bind::Int));
        log.push(", ");
        log.bind_opt(error.map(|e| Bind::Text(e.to_string())));
        log.push(")");
        log.execute(c).await?;
        if error.is_none() {
            let mut sent = Sql::new("UPDATE chat_messages SET state = 'sent', post_id = ");
            sent.bind(Bind::Uuid(post))
                .push(", sent_at = ")
                .bind(Bind::Timestamp(now))
                .push(" WHERE state = 'pending' AND id = ANY(")
                .bind(Bind::UuidArray(messages.to_vec()))
                .push(")");
            sent.execute(c).await?;
        }
        Ok(())
    }
}
