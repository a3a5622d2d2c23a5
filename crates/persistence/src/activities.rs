//! Activities: calls, visits, meetings, emails, notes and tasks attached to one record each, and
//! the account's `last_activity_at` they keep in step (in the same transaction as every write).

use crate::list::{self, Field, HasId, Kind, Spec};
use crate::records::{self, Record};
use crate::schema::activities;
use crate::scope::Scope;
use crate::sql::{Bind, Sql};
use crate::stores::ACTIVITIES as SPEC;
use crate::StoreError;
use chrono::{DateTime, Utc};
use diesel::sql_types;
use diesel::{
    AsChangeset, ExpressionMethods, Insertable, QueryDsl, Queryable, QueryableByName, Selectable,
    SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::activity::{
    Activity, ActivityInput, ActivityKind, ActivityPatch, EntityType, TaskStatus,
};
use domain::mention::{mentioned, Mentionable};
use std::future::Future;
use uuid::Uuid;

/// `GET /tasks/mine`: the caller's open tasks by due time, so overdue ones come first.
pub static MY_TASKS: Spec = Spec {
    table: "activities",
    select: SPEC.select,
    fields: &[
        Field::new("due_at", Kind::Timestamp).nullable().sortable(),
        Field::new("reminder_at", Kind::Timestamp).nullable(),
        Field::new("overdue", Kind::Bool).column(crate::stores::OVERDUE_SQL),
        Field::new("entity", Kind::Entity(|j| j.activities)),
        Field::new("entity_id", Kind::Uuid),
        Field::new("account_id", Kind::Uuid).nullable(),
        Field::new("tags", Kind::Tags),
    ],
    default_sort: "due_at",
    owner_column: Some("owner_id"),
    soft_delete: true,
    search: Some(("search_text", "search_grams")),
};

#[derive(Queryable, QueryableByName, Selectable)]
#[diesel(table_name = activities)]
pub struct ActivityRow {
    id: Uuid,
    kind: String,
    subject: String,
    body: Option<String>,
    entity: String,
    entity_id: Uuid,
    account_id: Option<Uuid>,
    occurred_at: Option<DateTime<Utc>>,
    due_at: Option<DateTime<Utc>>,
    status: Option<String>,
    reminder_at: Option<DateTime<Utc>>,
    owner_id: Uuid,
    tags: Vec<String>,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    created_by: Uuid,
    updated_by: Uuid,
    deleted_at: Option<DateTime<Utc>>,
    #[diesel(
        sql_type = sql_types::Bool,
        select_expression = diesel::dsl::sql::<sql_types::Bool>(crate::stores::OVERDUE_SQL),
        select_expression_type = diesel::expression::SqlLiteral<sql_types::Bool>
    )]
    overdue: bool,
}

impl From<ActivityRow> for Activity {
    fn from(r: ActivityRow) -> Self {
        Activity {
            id: r.id,
            kind: ActivityKind::parse(&r.kind).unwrap_or_default(),
            subject: r.subject,
            body: r.body,
            entity: EntityType::parse(&r.entity).unwrap_or_default(),
            entity_id: r.entity_id,
            account_id: r.account_id,
            occurred_at: r.occurred_at,
            due_at: r.due_at,
            status: r.status.as_deref().and_then(TaskStatus::parse),
            reminder_at: r.reminder_at,
            overdue: r.overdue,
            owner_id: r.owner_id,
            tags: r.tags,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
            created_by: r.created_by,
            updated_by: r.updated_by,
            deleted_at: r.deleted_at,
        }
    }
}

impl HasId for Activity {
    fn id(&self) -> Uuid {
        self.id
    }
}

impl Record for Activity {
    fn search_text(&self) -> String {
        domain::activity::ActivityInput::from(self).search_text()
    }
    const ENTITY: &'static str = "activity";
    type Row = ActivityRow;
    fn spec() -> &'static Spec {
        &SPEC
    }
    fn version(&self) -> i32 {
        self.version
    }
    /// Deleting or restoring an activity changes its account's last activity.
    fn changed<'a>(
        conn: &'a mut AsyncPgConnection,
        scope: &'a Scope,
        record: &'a Self,
    ) -> impl Future<Output = Result<(), StoreError>> + Send + 'a {
        refresh_accounts(conn, scope, [record.account_id])
    }
}

/// The stored form of validated input (derived columns included).
#[derive(AsChangeset, Insertable)]
#[diesel(table_name = activities, treat_none_as_null = true)]
struct ActivityValues {
    kind: String,
    subject: String,
    body: Option<String>,
    entity: String,
    entity_id: Uuid,
    account_id: Option<Uuid>,
    occurred_at: Option<DateTime<Utc>>,
    due_at: Option<DateTime<Utc>>,
    status: Option<String>,
    reminder_at: Option<DateTime<Utc>>,
    owner_id: Uuid,
    tags: Vec<String>,
    search_text: String,
    search_grams: Vec<String>,
}

impl ActivityValues {
    fn new(input: &ActivityInput, owner_id: Uuid, account_id: Option<Uuid>) -> Self {
        let search_text = input.search_text();
        ActivityValues {
            kind: input.kind.as_str().to_string(),
            subject: input.subject.clone(),
            body: input.body.clone(),
            entity: input.entity.as_str().to_string(),
            entity_id: input.entity_id,
            account_id,
            occurred_at: input.occurred_at,
            due_at: input.due_at,
            status: input.status.map(|s| s.as_str().to_string()),
            reminder_at: input.reminder_at,
            owner_id,
            tags: input.tags.clone(),
            search_grams: domain::normalize::bigrams(&search_text),
            search_text,
        }
    }
}

/// The record an activity is attached to must be live and visible to the caller; answers the
/// account it belongs to (for the account's timeline and last activity): the account itself, or
/// the contact's, the opportunity's, or a converted lead's — each entity's `account_column`.
pub async fn attachment(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    entity: EntityType,
    id: Uuid,
) -> Result<Option<Uuid>, StoreError> {
    #[derive(QueryableByName)]
    struct Attached {
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Uuid>)]
        account_id: Option<Uuid>,
    }
    let store = crate::stores::of(entity.0).ok_or(StoreError::NotFound);
    let found = match store.map(|s| (s, s.account_column)) {
        Ok((store, Some(column))) => {
            let spec = store.spec;
            let mut sql = Sql::new(&format!(
                "SELECT {column} AS account_id FROM {}",
                spec.table
            ));
            sql.append(list::scoped_where(spec, scope, false))
                .push(" AND id = ")
                .bind(Bind::Uuid(id));
            sql.get_result::<Attached>(conn)
                .await
                .map(|a| a.account_id)
                .map_err(StoreError::from)
        }
        _ => Err(StoreError::NotFound),
    };
    found.map_err(|e| {
        e.or_invalid(
            "entity_id",
            &format!("no such {} visible to you", entity.as_str()),
        )
    })
}

/// Recomputes the accounts' `last_activity_at` (the latest `occurred_at` of their live activities)
/// and `neglect_at` (that, or the account's creation, plus the organization's `neglect_days`). The
/// account rows are locked first, in id order, so the recount (a new statement, hence a new
/// snapshot) sees every concurrent write to the same account that committed before it.
pub async fn refresh_accounts(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    accounts: impl IntoIterator<Item = Option<Uuid>>,
) -> Result<(), StoreError> {
    let mut ids: Vec<Uuid> = accounts.into_iter().flatten().collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let mut lock = Sql::new("SELECT id FROM accounts WHERE org_id = ");
    lock.bind(Bind::Uuid(scope.org_id))
        .push(" AND id = ANY(")
        .bind(Bind::UuidArray(ids.clone()))
        .push(") ORDER BY id FOR NO KEY UPDATE");
    lock.execute(conn).await?;
    let mut update = Sql::new(
        "WITH latest AS (SELECT ids.id, (SELECT max(a.occurred_at) FROM activities a \
         WHERE a.org_id = ",
    );
    update
        .bind(Bind::Uuid(scope.org_id))
        .push(
            " AND a.account_id = ids.id AND a.deleted_at IS NULL) AS at FROM unnest(",
        )
        .bind(Bind::UuidArray(ids.clone()))
        .push(
            ") AS ids(id)) UPDATE accounts SET last_activity_at = latest.at, \
             neglect_at = coalesce(latest.at, accounts.created_at) + make_interval(days => o.neglect_days) \
             FROM latest, organizations o WHERE accounts.id = latest.id AND o.id = accounts.org_id \
             AND accounts.org_id = ",
        )
        .bind(Bind::Uuid(scope.org_id));
    update.execute(conn).await?;
    // A follow-up moves the day the account would return to its pool.
    crate::pools::refresh_due(conn, crate::pools::Due::Accounts(scope.org_id, ids)).await?;
    Ok(())
}

/// Creates an activity from normalized input. Run inside a transaction.
pub async fn create(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    input: &ActivityInput,
) -> Result<Activity, StoreError> {
    let owner = input.owner_id.unwrap_or(scope.user_id);
    records::check_owner(conn, scope, owner).await?;
    let account_id = attachment(conn, scope, input.entity, input.entity_id).await?;
    let now = Utc::now();
    let row: ActivityRow = diesel::insert_into(activities::table)
        .values((
            activities::id.eq(Uuid::now_v7()),
            activities::org_id.eq(scope.org_id),
            ActivityValues::new(input, owner, account_id),
            activities::created_at.eq(now),
            activities::updated_at.eq(now),
            activities::created_by.eq(scope.user_id),
            activities::updated_by.eq(scope.user_id),
        ))
        .returning(ActivityRow::as_returning())
        .get_result(conn)
        .await?;
    let activity: Activity = row.into();
    refresh_accounts(conn, scope, [activity.account_id]).await?;
    records::created(conn, scope, &activity, now).await?;
    notify_mentions(conn, scope, &activity, None, now).await?;
    Ok(activity)
}

/// Tells the users an activity's text newly mentions (`@张伟`), other than its author.
async fn notify_mentions(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    activity: &Activity,
    before: Option<&Activity>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let text = |a: &Activity| format!("{}\n{}", a.subject, a.body.as_deref().unwrap_or(""));
    let after = text(activity);
    if !after.contains('@') {
        return Ok(());
    }
    let users: Vec<(Uuid, String, String)> = crate::schema::users::table
        .filter(crate::schema::users::org_id.eq(scope.org_id))
        .filter(crate::schema::users::active.eq(true))
        .select((
            crate::schema::users::id,
            crate::schema::users::name,
            crate::schema::users::email,
        ))
        .load(conn)
        .await?;
    let people: Vec<Mentionable<'_>> = users
        .iter()
        .map(|(id, name, email)| Mentionable {
            id: *id,
            name,
            email,
        })
        .collect();
    let earlier = before
        .map(|b| mentioned(&text(b), &people))
        .unwrap_or_default();
    for user in mentioned(&after, &people) {
        if user == scope.user_id || earlier.contains(&user) {
            continue;
        }
        let notice = crate::notifications::New {
            org_id: scope.org_id,
            user_id: user,
            kind: domain::notification::NotificationKind::Mentioned,
            entity: Some("activity"),
            entity_id: Some(activity.id),
            params: serde_json::json!({"subject": activity.subject}),
            dedupe_key: format!("mentioned:{}:{}", activity.id, activity.version),
            by: Some(scope.user_id),
        };
        crate::notifications::notify(conn, &notice, now).await?;
    }
    Ok(())
}

/// Applies a patch at `expected` version (`None`: `If-Match: *`). Run inside a transaction.
pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
    patch: ActivityPatch,
) -> Result<Activity, StoreError> {
    let before: Activity = records::load(conn, scope, id, false, true).await?;
    StoreError::check_version(before.version, expected)?;
    let mut input = ActivityInput::from(&before);
    input.apply(patch);
    let now = Utc::now();
    input.normalize(now).map_err(StoreError::Invalid)?;
    let owner = input.owner_id.unwrap_or(before.owner_id);
    if owner != before.owner_id {
        records::check_owner(conn, scope, owner).await?;
    }
    let account_id = if (input.entity, input.entity_id) != (before.entity, before.entity_id) {
        attachment(conn, scope, input.entity, input.entity_id).await?
    } else {
        before.account_id
    };
    let row: ActivityRow = diesel::update(
        activities::table
            .filter(activities::id.eq(id))
            .filter(activities::org_id.eq(scope.org_id)),
    )
    .set((
        ActivityValues::new(&input, owner, account_id),
        activities::version.eq(activities::version + 1),
        activities::updated_at.eq(now),
        activities::updated_by.eq(scope.user_id),
    ))
    .returning(ActivityRow::as_returning())
    .get_result(conn)
    .await?;
    let after: Activity = row.into();
    refresh_accounts(conn, scope, [before.account_id, after.account_id]).await?;
    records::updated(conn, scope, &before, &after, now).await?;
    notify_mentions(conn, scope, &after, Some(&before), now).await?;
    Ok(after)
}

/// A contact, lead or opportunity moved to another account (or none, or a lead was converted): its activities (live and
/// deleted) follow, and both accounts' last activity is recomputed. Part of the record's update
/// transaction.
pub async fn moved(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    entity: EntityType,
    id: Uuid,
    from: Option<Uuid>,
    to: Option<Uuid>,
) -> Result<(), StoreError> {
    diesel::update(
        activities::table
            .filter(activities::org_id.eq(scope.org_id))
            .filter(activities::entity.eq(entity.as_str()))
            .filter(activities::entity_id.eq(id)),
    )
    .set(activities::account_id.eq(to))
    .execute(conn)
    .await?;
    refresh_accounts(conn, scope, [from, to]).await
}

/// Accounts merged: every activity rolled up to `from` (attached to it, or to its contacts,
/// opportunities and leads, which moved with it) rolls up to `into`, and both accounts' last
/// activity is recomputed. Part of the merge's transaction.
pub async fn account_merged(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    from: Uuid,
    into: Uuid,
) -> Result<(), StoreError> {
    diesel::update(
        activities::table
            .filter(activities::org_id.eq(scope.org_id))
            .filter(activities::account_id.eq(from)),
    )
    .set(activities::account_id.eq(into))
    .execute(conn)
    .await?;
    refresh_accounts(conn, scope, [Some(from), Some(into)]).await
}

/// `AND account_id = …`: an account's timeline, its contacts' activities included.
pub fn at_account(account_id: Uuid) -> Sql {
    let mut sql = Sql::new(" AND account_id = ");
    sql.bind(Bind::Uuid(account_id));
    sql
}

/// `AND entity = … AND entity_id = …`: the activities attached to one record.
pub fn attached_to(entity: EntityType, id: Uuid) -> Sql {
    let mut sql = Sql::new(" AND entity = ");
    sql.bind(Bind::Text(entity.as_str().to_string()))
        .push(" AND entity_id = ")
        .bind(Bind::Uuid(id));
    sql
}

/// `GET /tasks/mine`'s condition: the caller's own open tasks.
pub fn my_open_tasks(scope: &Scope) -> Sql {
    let mut sql = Sql::new(" AND kind = 'task' AND status = 'open' AND owner_id = ");
    sql.bind(Bind::Uuid(scope.user_id));
    sql
}
