//! The data generator (crates/datagen): its rows are what the API itself would store, the demo
//! login works on them, and the same seed and day give the same data.

use diesel::{sql_query, Connection, PgConnection, QueryableByName, RunQueryDsl};
use serde_json::json;
use testkit::{urlencode, TestApp, TestDb};

const DAY: (i32, u32, u32) = (2026, 11, 23);

fn opts(seed: u64) -> datagen::Options {
    let day = chrono::NaiveDate::from_ymd_opt(DAY.0, DAY.1, DAY.2).expect("a day");
    datagen::Options::at(datagen::Scale::Demo, seed, day)
}

/// What `kehu seed` does: the generator with the demo password hashed as the API hashes it.
async fn load(url: &str, opts: &datagen::Options) -> Result<datagen::Report, datagen::Error> {
    let hash = api::auth::hash_password(datagen::DEMO_PASSWORD).expect("hash");
    datagen::load(url, opts, &hash).await
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Derived {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name_key: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    search_text: String,
    #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Text>)]
    search_grams: Vec<String>,
}

#[derive(QueryableByName)]
struct Digest {
    #[diesel(sql_type = diesel::sql_types::Text)]
    digest: String,
}

/// A digest of every generated row's own columns (not the setup rows' fresh ids), per table.
fn digest(url: &str) -> Vec<String> {
    let mut conn = PgConnection::establish(url).expect("connect");
    [
        "SELECT md5(string_agg(id::text || name || name_key || search_text || coalesce(phone, '') || created_at::text, ',' ORDER BY id)) AS digest FROM accounts",
        "SELECT md5(string_agg(id::text || name || search_text || array_to_string(phones, ';') || coalesce(account_id::text, ''), ',' ORDER BY id)) AS digest FROM contacts",
        "SELECT md5(string_agg(id::text || name || status || coalesce(account_id::text, ''), ',' ORDER BY id)) AS digest FROM leads",
        "SELECT md5(string_agg(o.id::text || o.name || o.status || coalesce(o.amount::text, '') || s.position, ',' ORDER BY o.id)) AS digest FROM opportunities o JOIN stages s ON s.id = o.stage_id",
        "SELECT md5(string_agg(opportunity_id::text || at::text || coalesce(reason, ''), ',' ORDER BY id)) AS digest FROM stage_changes",
        "SELECT md5(string_agg(email || name || role, ',' ORDER BY email)) AS digest FROM users",
        "SELECT md5(string_agg(id::text || kind || subject || entity_id::text || coalesce(occurred_at::text, ''), ',' ORDER BY id)) AS digest FROM activities",
    ]
    .iter()
    .map(|q| {
        sql_query(*q)
            .get_result::<Digest>(&mut conn)
            .expect(q)
            .digest
    })
    .collect()
}

#[tokio::test]
async fn the_demo_is_generated_data_the_api_serves_and_would_have_stored_itself() {
    let app = TestApp::spawn().await;
    let report = load(&app.db.url, &opts(datagen::DEFAULT_SEED))
        .await
        .expect("seed the demo");
    let count = |t: &str| report.tables.iter().find(|x| x.0 == t).map(|x| x.1);
    assert_eq!(count("accounts"), Some(900));
    assert_eq!(report.users, 30);
    let mut conn = PgConnection::establish(&app.db.url).expect("connect");
    let products = sql_query("SELECT count(*)::text AS digest FROM products")
        .get_result::<Digest>(&mut conn)
        .expect("products");
    assert_eq!(products.digest, "8", "the demo catalogue");

    // The demo login of `make run`.
    let res = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": "demo@kehu.local", "password": "kehu-demo-2026"}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    let token = res.str("/access_token").to_string();

    let res = app
        .get("/api/v1/accounts?count=true&limit=5&sort=name")
        .auth(&token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    let total = res.body["total"].as_i64().expect("total");
    assert!(
        (880..=900).contains(&total),
        "900 accounts, ~1% in the recycle bin: {total}"
    );
    let account = res.data()[0].clone();
    let id = account["id"].as_str().expect("id").to_string();

    // Its contacts, deals and the global search find generated records.
    let res = app
        .get(&format!("/api/v1/accounts/{id}/contacts"))
        .auth(&token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    assert!(!res.data().is_empty(), "every account has contacts");
    let name = account["name"].as_str().expect("name");
    let res = app
        .get(&format!("/api/v1/search?q={}", urlencode(name)))
        .auth(&token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    assert_eq!(res.data()[0]["id"].as_str(), Some(id.as_str()), "{res:?}");
    assert_eq!(res.data()[0]["rank"], 0, "an exact name match ranks first");
    let res = app
        .get("/api/v1/leads?status=converted&limit=1")
        .auth(&token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    assert!(res.data()[0]["account_id"].is_string(), "{res:?}");
    for status in ["open", "won", "lost"] {
        let res = app
            .get(&format!("/api/v1/opportunities?status={status}&limit=1"))
            .auth(&token)
            .send()
            .await;
        assert_eq!(res.data().len(), 1, "deals in status {status}: {res:?}");
    }
    let res = app.get("/api/v1/forecast").auth(&token).send().await;
    assert_eq!(res.status, 200, "{res:?}");
    let res = app
        .get(&format!("/api/v1/accounts/{id}/timeline"))
        .auth(&token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    assert!(!res.data().is_empty(), "months of activity: {res:?}");
    let res = app
        .get("/api/v1/accounts?neglected=true&limit=1")
        .auth(&token)
        .send()
        .await;
    assert_eq!(res.data().len(), 1, "some accounts went quiet: {res:?}");

    // The same account created through the API stores the same derived columns.
    let mut input = serde_json::Map::new();
    for field in [
        "name",
        "credit_code",
        "industry",
        "employees",
        "annual_revenue",
        "region",
        "address",
        "website",
        "phone",
        "source",
        "class",
        "owner_id",
        "tags",
    ] {
        input.insert(field.into(), account[field].clone());
    }
    let res = app
        .post("/api/v1/accounts?force=true")
        .auth(&token)
        .json(&serde_json::Value::Object(input))
        .send()
        .await;
    assert_eq!(res.status, 201, "{res:?}");
    let twin = res.str("/id").to_string();
    let url = app.db.url.clone();
    let (generated, created) = tokio::task::spawn_blocking(move || {
        let mut conn = PgConnection::establish(&url).expect("connect");
        let get = |conn: &mut PgConnection, id: &str| {
            sql_query(
                "SELECT name_key, search_text, search_grams FROM accounts WHERE id = $1::uuid",
            )
            .bind::<diesel::sql_types::Text, _>(id)
            .get_result::<Derived>(conn)
            .expect("derived columns")
        };
        // last_activity_at and neglect_at as activity writes keep them (activities::refresh_accounts).
        let stale = sql_query(
            "SELECT count(*)::text AS digest FROM accounts a JOIN organizations o ON o.id = a.org_id \
             WHERE a.id <> $1::uuid AND (a.last_activity_at IS DISTINCT FROM (SELECT max(x.occurred_at) \
             FROM activities x WHERE x.account_id = a.id AND x.deleted_at IS NULL) OR a.neglect_at <> \
             coalesce(a.last_activity_at, a.created_at) + make_interval(days => o.neglect_days))",
        )
        .bind::<diesel::sql_types::Text, _>(&twin)
        .get_result::<Digest>(&mut conn)
        .expect("last activity");
        assert_eq!(stale.digest, "0");
        (get(&mut conn, &id), get(&mut conn, &twin))
    })
    .await
    .expect("read");
    assert_eq!(generated, created);
    assert!(!generated.search_grams.is_empty());
}

#[tokio::test]
async fn the_same_seed_and_day_give_the_same_data() {
    let (a, b, c) = (
        TestDb::new().await,
        TestDb::new().await,
        TestDb::new().await,
    );
    for (db, seed) in [(&a, 7), (&b, 7), (&c, 8)] {
        load(&db.url, &opts(seed)).await.expect("seed");
    }
    let (ua, ub, uc) = (a.url.clone(), b.url.clone(), c.url.clone());
    let (da, db, dc) = tokio::task::spawn_blocking(move || (digest(&ua), digest(&ub), digest(&uc)))
        .await
        .expect("digests");
    assert_eq!(da, db, "same seed, same rows");
    // The catalogue is the same in every dataset (made through the write path: fresh ids).
    let catalogue = |url: &str| {
        let mut conn = PgConnection::establish(url).expect("connect");
        sql_query("SELECT md5(string_agg(p.code || p.name || c.name || p.unit_price::text, ',' ORDER BY p.code, p.name)) AS digest FROM products p JOIN product_categories c ON c.id = p.category_id")
            .get_result::<Digest>(&mut conn)
            .expect("catalogue")
            .digest
    };
    assert_eq!(catalogue(&a.url), catalogue(&c.url));
    for (x, y) in da.iter().zip(&dc) {
        assert_ne!(x, y, "another seed, other rows");
    }
    // A second load into a non-empty database is refused, not merged.
    let err = load(&a.url, &opts(7)).await.expect_err("not empty");
    assert!(
        format!("{err:?}").contains("already has organizations"),
        "{err:?}"
    );
}

#[tokio::test]
async fn the_demo_admin_has_deals_of_their_own_for_the_home_page() {
    let app = TestApp::spawn().await;
    load(&app.db.url, &opts(datagen::DEFAULT_SEED))
        .await
        .expect("seed the demo");
    let res = app
        .post("/api/v1/auth/login")
        .json(&json!({"email": "demo@kehu.local", "password": "kehu-demo-2026"}))
        .send()
        .await;
    let token = res.str("/access_token").to_string();
    let me = app.get("/api/v1/me").auth(&token).send().await;
    let admin = me.str("/user/id").to_string();
    // What the home page's "my pipeline" asks for.
    let mine = app
        .get(&format!(
            "/api/v1/opportunities?owner_id={admin}&status=open&count=true&limit=1"
        ))
        .auth(&token)
        .send()
        .await;
    assert_eq!(mine.status, 200, "{mine:?}");
    assert!(
        mine.body["total"].as_i64().unwrap_or(0) >= 10,
        "the demo admin has open deals: {mine:?}"
    );
}
