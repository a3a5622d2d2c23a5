//! Users, and the principal (user + visibility scope) behind every request.

use crate::list::{self, Field, HasId, Kind, ListRequest, Spec};
use crate::locks::{self, Guard};
use crate::schema::{api_keys, users};
use crate::scope::Scope;
use crate::{departments, StoreError};
use chrono::{DateTime, Utc};
use diesel::{
    ExpressionMethods, OptionalExtension, QueryDsl, Queryable, QueryableByName, Selectable,
    SelectableHelper,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::auth::{User, UserCreate, UserPatch};
use domain::list::Page;
use domain::role::{Reach, Role};
use uuid::Uuid;

const ROLES: &[&str] = &[
    "admin",
    "manager",
    "sales",
    "service",
    "marketing",
    "finance",
    "readonly",
];

pub static SPEC: Spec = Spec {
    table: "users",
    select: "id, email, name, role, department_id, active, version, created_at, updated_at, last_login_at",
    fields: &[
        Field::new("name", Kind::Text).sortable(),
        Field::new("email", Kind::Text),
        Field::new("role", Kind::Enum(ROLES)),
        Field::new("department_id", Kind::Uuid),
        Field::new("active", Kind::Bool),
    ],
    default_sort: "name",
    // The user directory is organization-wide: everyone picks owners and colleagues from it.
    owner_column: None,
    soft_delete: false,
    search: None,
};

#[derive(Queryable, QueryableByName, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    id: Uuid,
    email: String,
    name: String,
    role: String,
    department_id: Uuid,
    active: bool,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    last_login_at: Option<DateTime<Utc>>,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        User {
            id: r.id,
            email: r.email,
            name: r.name,
            role: r.role.parse().unwrap_or(Role::Readonly),
            department_id: r.department_id,
            active: r.active,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
            last_login_at: r.last_login_at,
        }
    }
}

impl HasId for User {
    fn id(&self) -> Uuid {
        self.id
    }
}

/// A user and their password hash, by email across all organizations (sign-in precedes tenancy).
pub async fn find_for_login(
    conn: &mut AsyncPgConnection,
    email: &str,
) -> Result<Option<(Uuid, Uuid, String, bool)>, StoreError> {
    let row = users::table
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("lower(email) = ")
                .bind::<diesel::sql_types::Text, _>(email.to_lowercase()),
        )
        .select((
            users::id,
            users::org_id,
            users::password_hash,
            users::active,
        ))
        .first::<(Uuid, Uuid, String, bool)>(conn)
        .await
        .optional()?;
    Ok(row)
}

pub async fn touch_login(conn: &mut AsyncPgConnection, id: Uuid) -> Result<(), StoreError> {
    diesel::update(users::table.find(id))
        .set(users::last_login_at.eq(Utc::now()))
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends all of a user's sessions at `at` (a password change, a deactivation): their refresh tokens stop working,
/// and with them every access token issued in those sessions (`tokens::session_live`). API keys
/// are separate credentials and stay.
pub async fn end_sessions(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    crate::tokens::revoke_user(conn, user_id, at).await
}

/// The active user behind a token, with the scope their role gives them.
pub async fn principal(
    conn: &mut AsyncPgConnection,
    user_id: Uuid,
) -> Result<(Uuid, User, Scope), StoreError> {
    let (org_id, row): (Uuid, UserRow) = users::table
        .find(user_id)
        .filter(users::active.eq(true))
        .select((users::org_id, UserRow::as_select()))
        .first(conn)
        .await?;
    let user: User = row.into();
    let visible_owners = match user.role.reach() {
        Reach::Organization => None,
        Reach::Own => Some(vec![user.id]),
        Reach::DepartmentSubtree => {
            let depts = departments::subtree(conn, org_id, user.department_id).await?;
            let ids: Vec<Uuid> = users::table
                .filter(users::org_id.eq(org_id))
                .filter(users::department_id.eq_any(depts))
                .select(users::id)
                .load(conn)
                .await?;
            Some(ids)
        }
    };
    let scope = Scope {
        org_id,
        user_id: user.id,
        role: user.role,
        visible_owners,
    };
    Ok((org_id, user, scope))
}

pub async fn is_active_member(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<bool, StoreError> {
    let n: i64 = users::table
        .filter(users::org_id.eq(org_id))
        .filter(users::id.eq(id))
        .filter(users::active.eq(true))
        .count()
        .get_result(conn)
        .await?;
    Ok(n > 0)
}

pub async fn list(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    req: &ListRequest,
) -> Result<Page<User>, StoreError> {
    list::fetch::<UserRow, User>(conn, &SPEC, scope, req, None).await
}

pub async fn get(conn: &mut AsyncPgConnection, org_id: Uuid, id: Uuid) -> Result<User, StoreError> {
    load(conn, org_id, id, false).await
}

/// One of the organization's; `lock` takes a row lock for the rest of the transaction (the
/// compare-and-set of a versioned write).
async fn load(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    id: Uuid,
    lock: bool,
) -> Result<User, StoreError> {
    let query = users::table
        .filter(users::org_id.eq(org_id))
        .filter(users::id.eq(id))
        .select(UserRow::as_select());
    let row: UserRow = if lock {
        query.for_update().first(conn).await?
    } else {
        query.first(conn).await?
    };
    Ok(row.into())
}

fn email_taken(e: diesel::result::Error, email: &str) -> StoreError {
    match crate::error::unique_violation(&e) {
        Some("users_email") => {
            StoreError::taken("email", format!("a user with email {email} already exists"))
        }
        _ => e.into(),
    }
}

async fn check_department(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    id: Uuid,
) -> Result<(), StoreError> {
    departments::get(conn, org_id, id)
        .await
        .map(|_| ())
        .map_err(|_| {
            StoreError::invalid(
                "department_id",
                "department",
                "not a department of this organization",
            )
        })
}

/// Fields of a user the audit trail does not list (they change on every write or sign-in).
const AUDIT_IGNORED: &[&str] = &["id", "version", "created_at", "updated_at", "last_login_at"];

/// Records a user's creation or change, by `actor` (the new user itself at sign-up).
async fn audit(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    actor: Uuid,
    before: Option<&User>,
    after: &User,
    password_changed: bool,
) -> Result<(), StoreError> {
    let json = |u: Option<&User>| {
        u.map(|u| serde_json::to_value(u).unwrap_or_default())
            .unwrap_or_else(|| serde_json::json!({}))
    };
    let mut changes = domain::audit::diff(&json(before), &json(Some(after)), AUDIT_IGNORED);
    if password_changed {
        // That it changed, never what it is.
        changes.push(domain::audit::FieldChange {
            field: "password".into(),
            old: serde_json::Value::Null,
            new: serde_json::json!("changed"),
        });
    }
    if changes.is_empty() {
        return Ok(());
    }
    let event = crate::audit::Event {
        org_id,
        actor_id: actor,
        entity: "user",
        entity_id: after.id,
        action: if before.is_some() { "update" } else { "create" },
        at: after.updated_at,
    };
    crate::audit::record_event(conn, &event, &changes, None).await
}

/// Inserts a user, audited as created by `actor` (`None`: by itself, as at sign-up);
/// `password_hash` is already hashed.
pub async fn create(
    conn: &mut AsyncPgConnection,
    org_id: Uuid,
    actor: Option<Uuid>,
    input: &UserCreate,
    password_hash: &str,
) -> Result<User, StoreError> {
    check_department(conn, org_id, input.department_id).await?;
    let email = domain::normalize::email(&input.email);
    let row: UserRow = diesel::insert_into(users::table)
        .values((
            users::id.eq(Uuid::now_v7()),
            users::org_id.eq(org_id),
            users::email.eq(&email),
            users::name.eq(input.name.trim()),
            users::password_hash.eq(password_hash),
            users::role.eq(input.role.as_str()),
            users::department_id.eq(input.department_id),
        ))
        .returning(UserRow::as_returning())
        .get_result(conn)
        .await
        .map_err(|e| email_taken(e, &email))?;
    let user: User = row.into();
    audit(conn, org_id, actor.unwrap_or(user.id), None, &user, false).await?;
    Ok(user)
}

/// Applies an admin's change to a user. Deactivating ends the user's sessions and API keys.
/// The organization always keeps one active admin.
pub async fn update(
    conn: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
    expected: Option<i32>,
    patch: &UserPatch,
    password_hash: Option<String>,
) -> Result<User, StoreError> {
    // The admins first, then the row: a change that could remove an admin counts the others
    // while no other such change runs (two admins demoting each other at once), and every user
    // change takes the two locks in this one order.
    let org_id = scope.org_id;
    locks::org(conn, org_id, Guard::Admins).await?;
    let current = load(conn, org_id, id, true).await?;
    StoreError::check_version(current.version, expected)?;
    if let Some(d) = patch.department_id {
        check_department(conn, org_id, d).await?;
    }
    let role = patch.role.unwrap_or(current.role);
    let active = patch.active.unwrap_or(current.active);
    if current.role == Role::Admin && current.active && (role != Role::Admin || !active) {
        let admins: i64 = users::table
            .filter(users::org_id.eq(org_id))
            .filter(users::role.eq("admin"))
            .filter(users::active.eq(true))
            .count()
            .get_result(conn)
            .await?;
        if admins <= 1 {
            return Err(StoreError::Conflict(
                "this is the organization's last active admin".into(),
            ));
        }
    }
    let now = Utc::now();
    let row: UserRow = diesel::update(
        users::table
            .filter(users::org_id.eq(org_id))
            .filter(users::id.eq(id)),
    )
    .set((
        users::name.eq(patch
            .name
            .as_deref()
            .map(str::trim)
            .unwrap_or(&current.name)),
        users::role.eq(role.as_str()),
        users::department_id.eq(patch.department_id.unwrap_or(current.department_id)),
        users::active.eq(active),
        users::version.eq(users::version + 1),
        users::updated_at.eq(now),
    ))
    .returning(UserRow::as_returning())
    .get_result(conn)
    .await?;
    if let Some(hash) = password_hash {
        diesel::update(users::table.find(id))
            .set(users::password_hash.eq(hash))
            .execute(conn)
            .await?;
    }
    if !active || patch.password.is_some() {
        end_sessions(conn, id, now).await?;
    }
    if !active {
        diesel::update(
            api_keys::table
                .filter(api_keys::user_id.eq(id))
                .filter(api_keys::revoked_at.is_null()),
        )
        .set(api_keys::revoked_at.eq(now))
        .execute(conn)
        .await?;
    }
    let after: User = row.into();
    let password_changed = patch.password.is_some();
    audit(
        conn,
        org_id,
        scope.user_id,
        Some(&current),
        &after,
        password_changed,
    )
    .await?;
    Ok(after)
}
