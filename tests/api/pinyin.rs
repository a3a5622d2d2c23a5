//! Chinese names answer to their pinyin and initials (`zhangwei`, `zw` find 张伟; `szfz` finds
//! 深圳市丰泽…) in quick and global search, and records written before that get it from the
//! reindex.

use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};
use serde_json::{json, Value};
use testkit::urlencode;
use testkit::{Session, TestApp};

async fn create(app: &TestApp, who: &Session, collection: &str, body: Value) -> Value {
    let res = app
        .post(&format!("/api/v1/{collection}?force=true"))
        .auth(&who.token)
        .json(&body)
        .send()
        .await;
    assert_eq!(res.status, 201, "create in {collection}: {res:?}");
    res.body
}

/// The ids quick search on `collection` finds for `q`.
async fn quick(app: &TestApp, who: &Session, collection: &str, q: &str) -> Vec<Value> {
    let res = app
        .get(&format!("/api/v1/{collection}?q={}", urlencode(q)))
        .auth(&who.token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{collection}?q={q}: {res:?}");
    res.data().iter().map(|r| r["id"].clone()).collect()
}

/// The ids global search finds for `q`.
async fn global(app: &TestApp, who: &Session, q: &str) -> Vec<Value> {
    let res = app
        .get(&format!("/api/v1/search?q={}", urlencode(q)))
        .auth(&who.token)
        .send()
        .await;
    assert_eq!(res.status, 200, "search?q={q}: {res:?}");
    res.data().iter().map(|h| h["id"].clone()).collect()
}

#[tokio::test]
async fn names_answer_to_their_pinyin_and_initials() {
    let app = TestApp::spawn().await;
    let admin = app.signup("拼音搜索").await;
    let zhang = create(&app, &admin, "contacts", json!({"name": "张伟"})).await["id"].clone();
    let wang = create(&app, &admin, "contacts", json!({"name": "王芳"})).await["id"].clone();
    let fengze = app
        .add_account(&admin, json!({"name": "深圳市丰泽日用品有限公司"}))
        .await["id"]
        .clone();
    let fengtai = app
        .add_account(&admin, json!({"name": "北京丰台建设集团"}))
        .await["id"]
        .clone();
    let lead = create(
        &app,
        &admin,
        "leads",
        json!({"name": "李强", "company": "广州市白云日化有限公司"}),
    )
    .await["id"]
        .clone();

    for q in ["zhangwei", "zw", "ZhangWei", "zhang wei", "zhang"] {
        assert_eq!(
            quick(&app, &admin, "contacts", q).await,
            std::slice::from_ref(&zhang),
            "contacts?q={q}"
        );
        let hits = global(&app, &admin, q).await;
        assert!(hits.contains(&zhang), "search?q={q}: {hits:?}");
        assert!(!hits.contains(&wang), "search?q={q} is not 王芳: {hits:?}");
    }
    assert_eq!(
        quick(&app, &admin, "contacts", "wf").await,
        std::slice::from_ref(&wang)
    );
    assert!(
        quick(&app, &admin, "contacts", "zf").await.is_empty(),
        "initials of neither name"
    );

    // 深圳市丰泽 is said 深圳丰泽: its initials skip the city's level.
    for q in ["szfz", "SZFZ", "shenzhenfengze", "fengze", "szsfzryp"] {
        assert_eq!(
            quick(&app, &admin, "accounts", q).await,
            std::slice::from_ref(&fengze),
            "accounts?q={q}"
        );
        assert_eq!(
            global(&app, &admin, q).await,
            std::slice::from_ref(&fengze),
            "search?q={q}"
        );
    }
    assert_eq!(quick(&app, &admin, "accounts", "bjft").await, [fengtai]);

    for q in ["gzbyrh", "byrh", "baiyunrihua", "lq", "liqiang"] {
        assert_eq!(
            quick(&app, &admin, "leads", q).await,
            std::slice::from_ref(&lead),
            "leads?q={q}"
        );
        assert!(
            global(&app, &admin, q).await.contains(&lead),
            "search?q={q}"
        );
    }

    // Other organizations' names do not answer.
    let other = app.signup("别家公司").await;
    assert!(quick(&app, &other, "contacts", "zw").await.is_empty());
    assert!(global(&app, &other, "szfz").await.is_empty());
}

/// What `kehu reindex` runs, on a connection of its own to the test's database.
async fn reindex(app: &TestApp) -> persistence::reindex::Report {
    let mut conn = own_connection(app).await;
    persistence::reindex::run(&mut conn).await.expect("reindex")
}

async fn own_connection(app: &TestApp) -> AsyncPgConnection {
    AsyncPgConnection::establish(&app.db.url)
        .await
        .expect("a connection of the test's own")
}

/// How many contacts quick search finds for `q` (ASCII).
async fn matching(app: &TestApp, who: &Session, q: &str) -> i64 {
    let res = app
        .get(&format!("/api/v1/contacts?q={q}&count=true&limit=1"))
        .auth(&who.token)
        .send()
        .await;
    res.body["total"].as_i64().expect("total")
}

/// What a migration that changes the search text's rules asks for.
const LIST_TABLES: &str = "INSERT INTO search_reindex (table_name) \
     VALUES ('accounts'), ('contacts'), ('leads'), ('opportunities') ON CONFLICT DO NOTHING;";

/// 张伟 as a row written before pinyin: the text is the name alone.
const OLD_ZHANG: &str = "UPDATE contacts SET search_text = name, search_grams = ARRAY[name] \
     WHERE name = '张伟';";

#[tokio::test]
async fn records_written_before_pinyin_get_it_from_the_reindex_in_batches() {
    let app = TestApp::spawn().await;
    let admin = app.signup("拼音回填").await;
    let zhang = create(&app, &admin, "contacts", json!({"name": "张伟"})).await;
    create(&app, &admin, "contacts", json!({"name": "王芳"})).await;
    app.add_account(&admin, json!({"name": "深圳市丰泽日用品有限公司"}))
        .await;
    create(
        &app,
        &admin,
        "leads",
        json!({"name": "李强", "company": "广州市白云日化"}),
    )
    .await;
    assert_eq!(
        reindex(&app).await,
        Default::default(),
        "a new database has nothing to redo"
    );

    // 600 more 张伟 (more than one batch), all with the old text.
    app.sql(&format!(
        "CREATE TEMP TABLE copies AS SELECT c.* FROM contacts c, generate_series(1, 600) \
         WHERE c.name = '张伟'; UPDATE copies SET id = gen_random_uuid(); \
         INSERT INTO contacts SELECT * FROM copies; {OLD_ZHANG} {LIST_TABLES}"
    ))
    .await;
    assert_eq!(
        matching(&app, &admin, "zw").await,
        0,
        "old rows have no pinyin"
    );

    let report = reindex(&app).await;
    assert_eq!(report.read, 604, "every row of the listed tables");
    assert_eq!(
        report.written, 601,
        "only the old rows: new writes compute the same text"
    );
    assert_eq!(matching(&app, &admin, "zw").await, 601);
    assert_eq!(matching(&app, &admin, "zhangwei").await, 601);
    let after = app
        .get(&format!(
            "/api/v1/contacts/{}",
            zhang["id"].as_str().expect("id")
        ))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(
        after.body["version"], zhang["version"],
        "derived text is no edit: the version stays"
    );
    assert_eq!(
        reindex(&app).await,
        Default::default(),
        "done: the tables' entries are gone"
    );
}

#[tokio::test]
async fn the_reindex_never_overwrites_a_concurrent_edit() {
    let app = TestApp::spawn().await;
    let admin = app.signup("拼音并发").await;
    let zhang = create(&app, &admin, "contacts", json!({"name": "张伟"})).await;
    let id = zhang["id"].as_str().expect("id");
    app.sql(&format!("{OLD_ZHANG} {LIST_TABLES}")).await;

    // A rename in flight: it holds the row while the reindex reads the old one, and commits
    // once the reindex's write waits for it.
    let renamed = domain::contact::ContactInput {
        name: "李娜".into(),
        ..Default::default()
    }
    .search_text();
    let grams: Vec<String> = domain::normalize::bigrams(&renamed)
        .iter()
        .map(|g| format!("'{g}'"))
        .collect();
    let mut edit = own_connection(&app).await;
    edit.batch_execute(&format!(
        "BEGIN; UPDATE contacts SET name = '李娜', version = version + 1, \
         search_text = '{renamed}', search_grams = ARRAY[{}] WHERE id = '{id}'",
        grams.join(", ")
    ))
    .await
    .expect("rename");
    let commit_when_the_reindex_waits = async {
        let mut watch = own_connection(&app).await;
        let waiting = || {
            persistence::sql::Sql::new(
                "SELECT count(*) AS n FROM pg_stat_activity \
                 WHERE datname = current_database() AND wait_event_type = 'Lock'",
            )
        };
        let mut polls = 0;
        while waiting().count(&mut watch).await.expect("waiting") == 0 {
            polls += 1;
            assert!(polls < 1500, "the reindex never waited for the edit's row");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        edit.batch_execute("COMMIT").await.expect("commit");
    };
    let (report, ()) = tokio::join!(reindex(&app), commit_when_the_reindex_waits);
    assert_eq!(report.read, 1);
    assert_eq!(report.written, 0, "the row changed since it was read");
    assert_eq!(
        matching(&app, &admin, "ln").await,
        1,
        "the rename's text stays"
    );
    assert_eq!(matching(&app, &admin, "zw").await, 0, "not the old name's");
}
