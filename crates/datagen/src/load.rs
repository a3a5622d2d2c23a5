//! Loading: organizations, departments, users and pipelines through the persistence functions
//! (one transaction), then the generated tables through COPY (a second transaction on a
//! synchronous connection: diesel's `copy_from` is not in diesel-async). If the second part
//! fails, the organizations of the first are deleted again, so nothing half-loaded stays.

use crate::rng::Rng;
use crate::rows::{self, Gen, Org, StageInfo};
use crate::{Error, Options, Scale, Sizes};
use diesel::connection::SimpleConnection;
use diesel::{Connection, ExecuteCopyFromDsl, PgConnection, QueryableByName, RunQueryDsl};
use diesel_async::{AsyncConnection, AsyncPgConnection};
use domain::auth::UserCreate;
use domain::role::Role;
use persistence::schema::{accounts, activities, contacts, leads, opportunities, stage_changes};
use persistence::{departments, organizations, pipelines, users};
use std::time::Instant;
use uuid::Uuid;

/// The demo admin's sign-in (`make run` prints it).
pub const DEMO_EMAIL: &str = "demo@kehu.local";
/// The password of every generated user: [`load`] takes its hash, hashed by the caller the way
/// the API hashes passwords.
pub const DEMO_PASSWORD: &str = "kehu-demo-2026";

/// What a load did, for the log and BENCHMARKS.md.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// (table, rows, seconds).
    pub tables: Vec<(&'static str, u64, f64)>,
    pub organizations: usize,
    pub users: usize,
    pub seconds: f64,
    /// Whether foreign-key triggers were skipped during COPY (needs a superuser).
    pub triggers_skipped: bool,
}

impl Report {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.1).sum()
    }
}

/// Generates `opts` into the database at `url`, which must hold no organization yet.
/// `password_hash` becomes every generated user's password (the demo password's hash).
pub async fn load(url: &str, opts: &Options, password_hash: &str) -> Result<Report, Error> {
    let started = Instant::now();
    let mut conn = AsyncPgConnection::establish(url).await?;
    if organizations::any(&mut conn).await? {
        return Err("the database already has organizations: seed into an empty database".into());
    }
    let opts2 = opts.clone();
    let hash = password_hash.to_string();
    let orgs: Vec<Org> = conn
        .transaction::<_, Error, _>(async move |c| setup(c, &opts2, &hash).await)
        .await?;
    let users = orgs.iter().map(|o| o.sizes.users).sum();
    let url2 = url.to_string();
    let opts2 = opts.clone();
    let orgs2 = orgs.clone();
    let copied = tokio::task::spawn_blocking(move || copy_all(&url2, &opts2, &orgs2))
        .await
        .map_err(|e| Error(e.to_string()))?;
    let mut report = match copied {
        Ok(r) => r,
        Err(e) => {
            let ids: Vec<Uuid> = orgs.iter().map(|o| o.id).collect();
            use diesel::ExpressionMethods;
            let query = diesel::delete(persistence::schema::organizations::table)
                .filter(persistence::schema::organizations::id.eq_any(ids));
            let _ = diesel_async::RunQueryDsl::execute(query, &mut conn).await;
            return Err(e);
        }
    };
    report.organizations = orgs.len();
    report.users = users;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// The people of the demo organization `make run` shows (email, name, role, department).
const DEMO_PEOPLE: &[(&str, &str, Role, &str)] = &[
    (DEMO_EMAIL, "演示管理员", Role::Admin, "root"),
    ("li.qiang@kehu.local", "李强", Role::Manager, "sales"),
    ("wang.fang@kehu.local", "王芳", Role::Sales, "sales"),
    ("zhang.wei@kehu.local", "张伟", Role::Sales, "sales"),
    ("emily.chen@kehu.local", "Emily Chen", Role::Sales, "sales"),
    ("liu.yang@kehu.local", "刘洋", Role::Manager, "service"),
    ("chen.jing@kehu.local", "陈静", Role::Finance, "finance"),
];

/// The role and department of generated user `i` (after the named people): mostly sales.
fn role_of(i: usize) -> (Role, &'static str) {
    match i % 20 {
        0 => (Role::Manager, "sales"),
        1..=12 => (Role::Sales, "sales"),
        13 | 14 => (Role::Marketing, "sales"),
        15..=17 => (Role::Service, "service"),
        18 => (Role::Finance, "finance"),
        _ => (Role::Readonly, "root"),
    }
}

async fn setup(c: &mut AsyncPgConnection, opts: &Options, hash: &str) -> Result<Vec<Org>, Error> {
    let mut orgs = Vec::new();
    let tenants = opts.scale.tenants();
    for no in 0..=tenants {
        let (name, locale, domain, sizes) = if no == 0 {
            let name = match opts.scale {
                Scale::Demo => "Kehu 演示公司".to_string(),
                s => format!("Kehu 基准测试公司 ({})", s.as_str()),
            };
            (name, "zh-CN", "kehu.local".to_string(), opts.scale.main())
        } else {
            let mut rng = Rng::for_row(opts.seed, no, rows::table::USERS, u64::MAX);
            let c = rows::company(&mut rng);
            let locale = if c.latin { "en" } else { "zh-CN" };
            (
                c.name,
                locale,
                format!("org{no}.kehu.test"),
                Scale::tenant(),
            )
        };
        let org = organizations::create(c, &name, locale).await?;
        let (root, depts) = departments::create_default_tree(c, org.id, locale).await?;
        let dept = |key: &str| {
            depts
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, id)| *id)
                .unwrap_or(root)
        };
        let pipeline = pipelines::create_default(c, org.id, locale).await?;
        let mut people: Vec<(String, String, Role, &str)> = Vec::new();
        if no == 0 {
            let named = if opts.scale == Scale::Demo {
                DEMO_PEOPLE
            } else {
                &DEMO_PEOPLE[..1]
            };
            for (email, name, role, d) in named {
                people.push((email.to_string(), name.to_string(), *role, d));
            }
        } else {
            people.push((
                format!("admin@{domain}"),
                if locale == "en" {
                    "Administrator"
                } else {
                    "系统管理员"
                }
                .into(),
                Role::Admin,
                "root",
            ));
        }
        let mut i = 0;
        while people.len() < sizes.users {
            let mut rng = Rng::for_row(opts.seed, no, rows::table::USERS, i as u64);
            let (name, handle) = rows::person_name(&mut rng, if locale == "en" { 80 } else { 5 });
            let (role, d) = role_of(i);
            people.push((format!("{handle}.{i}@{domain}"), name, role, d));
            i += 1;
        }
        let mut admin = None;
        let mut sellers = Vec::new();
        for (email, name, role, d) in &people {
            let input = UserCreate {
                email: email.clone(),
                name: name.clone(),
                password: String::new(),
                role: *role,
                department_id: dept(d),
            };
            let user = users::create(c, org.id, None, &input, hash).await?;
            if *role == Role::Admin && admin.is_none() {
                admin = Some(user.id);
            }
            if matches!(role, Role::Sales | Role::Manager) && *d == "sales" {
                sellers.push(user.id);
            }
        }
        let admin = admin.ok_or("no admin generated")?;
        let scope = persistence::Scope {
            org_id: org.id,
            user_id: admin,
            role: Role::Admin,
            visible_owners: None,
        };
        crate::catalogue::create(c, &scope, locale != "en").await?;
        // The demo's admin is the owner of a small company who sells too, so the home page's
        // "my pipeline" shows deals when one signs in as them.
        if sellers.is_empty() || (opts.scale == Scale::Demo && no == 0) {
            sellers.push(admin);
        }
        orgs.push(Org {
            no,
            id: org.id,
            admin,
            sellers,
            pipeline_id: pipeline.id,
            stages: pipeline
                .stages
                .iter()
                .map(|s| StageInfo {
                    id: s.id,
                    position: s.position,
                    probability: s.probability,
                    kind: s.kind,
                })
                .collect(),
            sizes: Sizes {
                users: people.len(),
                ..sizes
            },
            zh: locale != "en",
            neglect_days: organizations::neglect_days(c, org.id).await?,
        });
    }
    Ok(orgs)
}

/// Rows per COPY statement.
const BATCH: u64 = 5_000;
/// Above this many rows a table's secondary indexes are rebuilt once instead of maintained per row.
const REBUILD_INDEXES_FROM: u64 = 100_000;

/// Generates batches of `n` rows on a second thread while `sink` writes the previous batch.
fn pipeline<R: Send>(
    n: u64,
    make: impl Fn(u64) -> Result<R, String> + Sync,
    mut sink: impl FnMut(Vec<R>) -> Result<(), String>,
) -> Result<(), String> {
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<R>, String>>(2);
        let make = &make;
        s.spawn(move || {
            let mut start = 0;
            while start < n {
                let end = (start + BATCH).min(n);
                let batch: Result<Vec<R>, String> = (start..end).map(make).collect();
                let failed = batch.is_err();
                if tx.send(batch).is_err() || failed {
                    break;
                }
                start = end;
            }
        });
        for batch in rx {
            sink(batch?)?;
        }
        Ok(())
    })
}

#[derive(QueryableByName)]
struct IndexDef {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    def: String,
}

/// Drops `table`'s indexes other than its primary key and constraints; returns how to rebuild them.
fn drop_indexes(c: &mut PgConnection, table: &str) -> Result<Vec<IndexDef>, Error> {
    let defs: Vec<IndexDef> = diesel::sql_query(
        "SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def \
         FROM pg_index i WHERE i.indrelid = $1::regclass AND NOT i.indisprimary \
         AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
    )
    .bind::<diesel::sql_types::Text, _>(table)
    .load(c)?;
    for d in &defs {
        c.batch_execute(&format!("DROP INDEX {}", d.name))?;
    }
    Ok(defs)
}

/// One generated table: its name, rows per organization, and how to load an organization's rows.
struct Table {
    name: &'static str,
    /// Other tables filled by the same pass (their indexes are rebuilt alongside).
    also: &'static [&'static str],
    rows: fn(&Sizes) -> u64,
    load: fn(&mut PgConnection, &Gen) -> Result<u64, Error>,
}

macro_rules! copy {
    ($c:expr, $table:expr, $batch:expr) => {
        diesel::copy_from($table)
            .from_insertable($batch)
            .execute($c)
            .map_err(|e| format!("COPY {}: {e}", stringify!($table)))
    };
}

const TABLES: &[Table] = &[
    Table {
        name: "accounts",
        also: &[],
        rows: |s| s.accounts,
        load: |c, g| {
            let mut n = 0;
            pipeline(
                g.org.sizes.accounts,
                |i| g.account(i),
                |batch| {
                    n += copy!(&mut *c, accounts::table, &batch)? as u64;
                    Ok(())
                },
            )?;
            Ok(n)
        },
    },
    Table {
        name: "contacts",
        also: &[],
        rows: |s| s.contacts,
        load: |c, g| {
            let mut n = 0;
            pipeline(
                g.org.sizes.contacts,
                |i| g.contact(i),
                |batch| {
                    n += copy!(&mut *c, contacts::table, &batch)? as u64;
                    Ok(())
                },
            )?;
            Ok(n)
        },
    },
    Table {
        name: "opportunities",
        also: &["stage_changes"],
        rows: |s| s.opportunities,
        load: |c, g| {
            let mut n = 0;
            pipeline(
                g.org.sizes.opportunities,
                |i| g.opportunity(i),
                |batch| {
                    let (deals, changes): (Vec<_>, Vec<_>) = batch.into_iter().unzip();
                    let changes: Vec<_> = changes.into_iter().flatten().collect();
                    n += copy!(&mut *c, opportunities::table, &deals)? as u64;
                    n += copy!(&mut *c, stage_changes::table, &changes)? as u64;
                    Ok(())
                },
            )?;
            Ok(n)
        },
    },
    Table {
        name: "leads",
        also: &[],
        rows: |s| s.leads,
        load: |c, g| {
            let mut n = 0;
            pipeline(
                g.org.sizes.leads,
                |i| g.lead(i),
                |batch| {
                    n += copy!(&mut *c, leads::table, &batch)? as u64;
                    Ok(())
                },
            )?;
            Ok(n)
        },
    },
    Table {
        name: "activities",
        also: &[],
        rows: |s| s.activities,
        load: |c, g| {
            let mut n = 0;
            pipeline(
                g.org.sizes.activities,
                |i| g.activity(i),
                |batch| {
                    n += copy!(&mut *c, activities::table, &batch)? as u64;
                    Ok(())
                },
            )?;
            Ok(n)
        },
    },
];

fn copy_all(url: &str, opts: &Options, orgs: &[Org]) -> Result<Report, Error> {
    let mut c = PgConnection::establish(url)?;
    // Every reference the generator writes exists (it made them); skipping the per-row
    // foreign-key triggers makes COPY several times faster. Only a superuser may.
    let triggers_skipped = c
        .batch_execute("SET session_replication_role = replica")
        .is_ok();
    let mut report = Report {
        triggers_skipped,
        ..Report::default()
    };
    c.transaction::<_, Error, _>(|c| {
        c.batch_execute("SET LOCAL maintenance_work_mem = '512MB'")
?;
        for t in TABLES {
            let started = Instant::now();
            let total: u64 = orgs.iter().map(|o| (t.rows)(&o.sizes)).sum();
            let mut rebuild = Vec::new();
            if total >= REBUILD_INDEXES_FROM {
                for name in std::iter::once(&t.name).chain(t.also) {
                    rebuild.extend(drop_indexes(c, name)?);
                }
            }
            let mut n = 0;
            for org in orgs {
                let g = Gen {
                    seed: opts.seed,
                    org,
                    anchor: opts.anchor,
                    history_days: opts.scale.history_days(),
                };
                n += (t.load)(c, &g)?;
            }
            let loaded = started.elapsed().as_secs_f64();
            for d in &rebuild {
                c.batch_execute(&d.def)?;
            }
            let secs = started.elapsed().as_secs_f64();
            log::info!(
                "seed: {} {n} rows in {secs:.1} s ({:.0} rows/s; COPY {loaded:.1} s, {} indexes rebuilt {:.1} s)",
                t.name,
                n as f64 / secs.max(1e-9),
                rebuild.len(),
                secs - loaded
            );
            report.tables.push((t.name, n, secs));
        }
        Ok(())
    })?;
    let started = Instant::now();
    let names: Vec<&str> = TABLES
        .iter()
        .flat_map(|t| std::iter::once(t.name).chain(t.also.iter().copied()))
        .collect();
    // VACUUM too: it sets the visibility map and hint bits that a live database has, so the
    // first reads do not rewrite every page and index-only scans work.
    c.batch_execute(&format!("VACUUM (ANALYZE) {}", names.join(", ")))?;
    log::info!(
        "seed: VACUUM (ANALYZE) in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(report)
}
