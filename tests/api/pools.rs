//! The customer pool (公海): owned accounts return to their owner's pool when their class's
//! rule says so (the clock is the job runner's), the owner is warned first and told after; the
//! history says who did what; members claim within the limits, also when claiming at once;
//! managers assign; pools follow the department tree and are invisible outside it.

use api::jobs::{Clock, Runner};
use chrono::{DateTime, Duration, Utc};
use persistence::db;
use serde_json::{json, Value};
use testkit::{Res, Session, TestApp};
use uuid::Uuid;

async fn add_pool(app: &TestApp, admin: &Session, body: Value) -> Value {
    let res = app
        .post("/api/v1/account-pools")
        .auth(&admin.token)
        .json(&body)
        .send()
        .await;
    assert_eq!(res.status, 201, "{res:?}");
    res.body
}

async fn account(app: &TestApp, who: &Session, id: &str) -> Res {
    app.get(&format!("/api/v1/accounts/{id}"))
        .auth(&who.token)
        .send()
        .await
}

async fn pool_ids(app: &TestApp, who: &Session, pool: &str) -> Vec<String> {
    let res = app
        .get(&format!("/api/v1/account-pools/{pool}/accounts?sort=name"))
        .auth(&who.token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    res.data()
        .iter()
        .map(|a| a["id"].as_str().expect("id").to_string())
        .collect()
}

async fn claim(app: &TestApp, who: &Session, pool: &str, ids: Vec<&str>) -> Res {
    app.post(&format!("/api/v1/account-pools/{pool}/claim"))
        .auth(&who.token)
        .json(&json!({"account_ids": ids}))
        .send()
        .await
}

async fn release(app: &TestApp, who: &Session, id: &str) -> Res {
    app.post(&format!("/api/v1/accounts/{id}/release"))
        .auth(&who.token)
        .json(&json!({"reason": "客户暂无需求"}))
        .send()
        .await
}

async fn kinds(app: &TestApp, who: &Session, kind: &str) -> Vec<Value> {
    let res = app
        .get(&format!("/api/v1/notifications?kind={kind}"))
        .auth(&who.token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    res.data().clone()
}

async fn actions(app: &TestApp, who: &Session, id: &str) -> Vec<(String, Value)> {
    let res = app
        .get(&format!("/api/v1/accounts/{id}/history"))
        .auth(&who.token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    res.data()
        .iter()
        .map(|h| {
            (
                h["action"].as_str().unwrap_or("").to_string(),
                h["actor_id"].clone(),
            )
        })
        .collect()
}

fn at(v: &Value) -> DateTime<Utc> {
    v.as_str().expect("a time").parse().expect("RFC 3339")
}

/// A runner of the pools' job (on the platform's schedules) at times the test chooses.
async fn recycler(app: &TestApp, clock: &Clock) -> Runner {
    let pool = db::pool(&app.db.url, 2).expect("pool");
    api::maintenance::schedule(&pool).await.expect("schedules");
    Runner::new(
        pool,
        "node-test".into(),
        clock.clone(),
        vec![(api::pool_recycling::KIND, api::pool_recycling::run)],
    )
}

async fn run_at(r: &Runner, clock: &Clock, at: DateTime<Utc>) {
    clock.set(at);
    r.run_due().await.expect("run");
}

#[tokio::test]
async fn accounts_return_by_their_class_rule_after_a_warning_and_others_claim_them() {
    let app = TestApp::spawn().await;
    let admin = app.signup("公海").await;
    let rep = app.add_user(&admin, "sales", None).await;
    let other = app.add_user(&admin, "sales", None).await;
    let pool = add_pool(
        &app,
        &admin,
        json!({"name": "公司公海", "warn_days": 3, "reclaim_days": 30, "rules": [
            {"class": "potential", "idle_days": 15},
            {"class": "target", "idle_days": 30},
        ]}),
    )
    .await;
    let pool_id = pool["id"].as_str().expect("id");
    let start = Utc::now();
    let new = |name: &str, class: &str| json!({"name": name, "class": class});
    let a = app
        .add_account(&rep, new("甲公司潜在客户有限公司", "potential"))
        .await;
    let b = app
        .add_account(&rep, new("乙公司目标客户有限公司", "target"))
        .await;
    let c = app
        .add_account(&rep, new("丙公司重点客户有限公司", "key"))
        .await;
    let d = app
        .add_account(&rep, new("丁公司久未跟进有限公司", "potential"))
        .await;
    let e = app
        .add_account(&rep, new("戊公司刚跟进过有限公司", "potential"))
        .await;
    let id = |v: &Value| v["id"].as_str().expect("id").to_string();
    let (a_id, b_id, c_id, d_id, e_id) = (id(&a), id(&b), id(&c), id(&d), id(&e));

    // Due dates: created plus the class's idle days; a class without a rule never returns.
    let due_a = at(&a["recycle_at"]);
    assert!(
        due_a > start + Duration::days(15) - Duration::minutes(1),
        "{a}"
    );
    assert!(due_a < Utc::now() + Duration::days(15));
    assert!(at(&b["recycle_at"]) > start + Duration::days(30) - Duration::minutes(1));
    assert!(c["recycle_at"].is_null(), "{c}");

    // D and E look three weeks old; E was followed up today, which moves its date.
    app.sql(&format!(
        "UPDATE accounts SET created_at = now() - interval '21 days' WHERE id IN ('{d_id}', '{e_id}')"
    ))
    .await;
    let call = app
        .post("/api/v1/activities")
        .auth(&rep.token)
        .json(&json!({"kind": "call", "subject": "回访", "entity": "account", "entity_id": e_id}))
        .send()
        .await;
    assert_eq!(call.status, 201, "{call:?}");
    let due_e = at(&account(&app, &rep, &e_id).await.body["recycle_at"]);
    assert!(
        due_e > start + Duration::days(15) - Duration::minutes(1),
        "{due_e}"
    );

    let clock = Clock::fixed(start);
    let runner = recycler(&app, &clock).await;
    // The first run finds D overdue by its age; a new rule never takes an account without a
    // warning, so D is due `warn_days` after the rule began, and its owner hears of it now.
    run_at(&runner, &clock, start + Duration::minutes(10)).await;
    assert_eq!(
        account(&app, &rep, &d_id).await.status,
        200,
        "not without a warning"
    );
    let soon = kinds(&app, &rep, "pool_return_soon").await;
    assert_eq!(soon.len(), 1, "{soon:?}");
    assert_eq!(soon[0]["params"]["count"], 1);
    assert_eq!(
        soon[0]["params"]["names"],
        json!(["丁公司久未跟进有限公司"])
    );
    // Three days on, it returns.
    run_at(
        &runner,
        &clock,
        start + Duration::days(3) + Duration::hours(1),
    )
    .await;
    assert_eq!(
        account(&app, &rep, &d_id).await.status,
        404,
        "no longer the rep's"
    );
    let in_pool = account(&app, &admin, &d_id).await;
    assert!(in_pool.body["owner_id"].is_null(), "{in_pool:?}");
    assert_eq!(in_pool.body["pool_id"], pool["id"]);
    assert_eq!(pool_ids(&app, &other, pool_id).await, vec![d_id.clone()]);
    let returned = kinds(&app, &rep, "pool_returned").await;
    assert_eq!(returned.len(), 1, "{returned:?}");
    assert_eq!(returned[0]["params"]["count"], 1);
    // Its history: released by Kehu (no actor), owner cleared.
    let history = actions(&app, &admin, &d_id).await;
    assert_eq!(
        history[0],
        ("release".to_string(), Value::Null),
        "{history:?}"
    );

    // Two days before A and E are due, the rep hears of both, once a day.
    run_at(&runner, &clock, start + Duration::days(13)).await;
    run_at(
        &runner,
        &clock,
        start + Duration::days(13) + Duration::hours(1),
    )
    .await;
    let soon = kinds(&app, &rep, "pool_return_soon").await;
    assert_eq!(soon.len(), 2, "one a day: {soon:?}");
    assert_eq!(soon[0]["params"]["count"], 2);
    assert!(soon[0]["title"]["zh"]
        .as_str()
        .expect("zh")
        .contains("2 个客户"));
    assert_eq!(account(&app, &rep, &a_id).await.status, 200);

    // Past their date, A and E return; B (30 days) and C (no rule) stay.
    run_at(&runner, &clock, start + Duration::days(16)).await;
    let mut want = vec![a_id.clone(), d_id.clone(), e_id.clone()];
    want.sort_by_key(|i| i.clone());
    let mut got = pool_ids(&app, &other, pool_id).await;
    got.sort();
    assert_eq!(got, want);
    assert_eq!(account(&app, &rep, &b_id).await.status, 200);
    assert_eq!(account(&app, &rep, &c_id).await.status, 200);
    assert_eq!(app.total(&rep, "accounts").await, 2);

    // The previous owner may not claim A straight back; someone else may.
    let back = claim(&app, &rep, pool_id, vec![&a_id]).await;
    assert!(back.is_problem(409), "{back:?}");
    assert!(
        back.body["detail"]
            .as_str()
            .unwrap_or("")
            .contains("30 days"),
        "{back:?}"
    );
    let taken = claim(&app, &other, pool_id, vec![&a_id, &d_id]).await;
    assert_eq!(taken.status, 200, "{taken:?}");
    assert_eq!(taken.body["owner_id"], json!(other.user_id));
    assert_eq!(taken.body["quota"]["claimed_today"], 2);
    let mine = account(&app, &other, &a_id).await;
    assert_eq!(mine.body["owner_id"], json!(other.user_id));
    assert!(mine.body["pool_id"].is_null());
    // The new owner's clock starts at the claim, not at the account's old neglect.
    assert!(at(&mine.body["recycle_at"]) > Utc::now() + Duration::days(14));
    // (The release is dated by the runner's clock, days ahead; the claim by today's.)
    let history = actions(&app, &other, &a_id).await;
    assert!(
        history
            .iter()
            .any(|(a, by)| a == "claim" && *by == json!(other.user_id)),
        "{history:?}"
    );
    assert_eq!(pool_ids(&app, &other, pool_id).await, vec![e_id.clone()]);

    // The outbox names both moves, so webhooks can subscribe to them.
    let types = app
        .get("/api/v1/webhooks/event-types")
        .auth(&admin.token)
        .send()
        .await;
    let types = types.body.to_string();
    assert!(types.contains("account.released") && types.contains("account.claimed"));
}

#[tokio::test]
async fn limits_hold_when_claims_come_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.signup("抢客户").await;
    let owner = app.add_user(&admin, "sales", None).await;
    let pool = add_pool(&app, &admin, json!({"name": "公海", "daily_claims": 3})).await;
    let pool_id = pool["id"].as_str().expect("id").to_string();
    let mut ids = Vec::new();
    for i in 0..7 {
        let a = app
            .add_account(&owner, json!({"name": format!("并发领取{i}号有限公司")}))
            .await;
        let id = a["id"].as_str().expect("id").to_string();
        let res = release(&app, &owner, &id).await;
        assert_eq!(res.status, 200, "{res:?}");
        assert!(res.body["owner_id"].is_null());
        ids.push(id);
    }
    // One salesperson asks for six accounts at once: the daily limit lets three through.
    let grabber = app.add_user(&admin, "sales", None).await;
    let tries = ids[..6]
        .iter()
        .map(|id| claim(&app, &grabber, &pool_id, vec![id.as_str()]));
    let results = futures::future::join_all(tries).await;
    let ok = results.iter().filter(|r| r.status == 200).count();
    assert_eq!(ok, 3, "{results:?}");
    assert!(results
        .iter()
        .filter(|r| r.status != 200)
        .all(|r| r.is_problem(409)
            && r.body["detail"]
                .as_str()
                .unwrap_or("")
                .contains("3 claims a day")));
    let quota = app
        .get(&format!("/api/v1/account-pools/{pool_id}/quota"))
        .auth(&grabber.token)
        .send()
        .await;
    assert_eq!(quota.body["claimed_today"], 3, "{quota:?}");
    assert_eq!(quota.body["held"], 3);

    // Five salespeople claim the last account at once: one gets it.
    let last = ids[6].clone();
    let mut people = Vec::new();
    for _ in 0..5 {
        people.push(app.add_user(&admin, "sales", None).await);
    }
    let tries = people
        .iter()
        .map(|p| claim(&app, p, &pool_id, vec![last.as_str()]));
    let results = futures::future::join_all(tries).await;
    let winners: Vec<&Session> = people
        .iter()
        .zip(&results)
        .filter(|(_, r)| r.status == 200)
        .map(|(p, _)| p)
        .collect();
    assert_eq!(winners.len(), 1, "{results:?}");
    assert!(results
        .iter()
        .filter(|r| r.status != 200)
        .all(|r| r.is_problem(409)));
    let got = account(&app, winners[0], &last).await;
    assert_eq!(got.body["owner_id"], json!(winners[0].user_id));
    assert_eq!(
        got.body["version"], 3,
        "created, released, claimed: {got:?}"
    );
    let claims = actions(&app, &admin, &last).await;
    assert_eq!(claims.iter().filter(|(a, _)| a == "claim").count(), 1);

    // Holding limits count what a member owns, whoever gave it.
    let res = app
        .patch(&format!("/api/v1/account-pools/{pool_id}"))
        .auth(&admin.token)
        .if_match(&pool["version"].to_string())
        .json(&json!({"daily_claims": 100, "max_held": 3}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    let more = claim(&app, &grabber, &pool_id, vec![ids[3].as_str()]).await;
    assert!(more.is_problem(409), "{more:?}");
    assert!(more.body["detail"]
        .as_str()
        .unwrap_or("")
        .contains("3 accounts at once"));
}

#[tokio::test]
async fn department_pools_take_their_members_accounts_and_stay_inside_the_department() {
    let app = TestApp::spawn().await;
    let admin = app.signup("华南公海").await;
    let south = app.add_department(&admin, "华南大区", None).await;
    let shenzhen = app.add_department(&admin, "深圳组", Some(south)).await;
    let north = app.add_department(&admin, "华北大区", None).await;
    let manager = app.add_user(&admin, "manager", Some(south)).await;
    let rep = app.add_user(&admin, "sales", Some(shenzhen)).await;
    let rep2 = app.add_user(&admin, "sales", Some(shenzhen)).await;
    let outsider = app.add_user(&admin, "sales", Some(north)).await;
    let company = add_pool(&app, &admin, json!({"name": "公司公海"})).await;
    let pool = add_pool(
        &app,
        &admin,
        json!({"name": "华南公海", "department_id": south}),
    )
    .await;
    let pool_id = pool["id"].as_str().expect("id");

    // The rep's account goes to the nearest pool up the rep's department chain.
    let a = app
        .add_account(&rep, json!({"name": "深圳南山科技有限公司"}))
        .await;
    let a_id = a["id"].as_str().expect("id");
    let res = release(&app, &rep, a_id).await;
    assert_eq!(res.status, 200, "{res:?}");
    assert_eq!(res.body["pool_id"], pool["id"]);
    assert_eq!(
        release(&app, &admin, a_id).await.status,
        409,
        "in a pool already"
    );
    // Members: the department's subtree; others do not see the pool at all.
    let listed = |who: &Session| {
        let who = who.token.clone();
        let app = &app;
        async move {
            let res = app.get("/api/v1/account-pools").auth(&who).send().await;
            res.data()
                .iter()
                .map(|p| p["name"].as_str().unwrap_or("").to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(listed(&rep2).await, vec!["公司公海", "华南公海"]);
    assert_eq!(listed(&outsider).await, vec!["公司公海"]);
    let hidden = app
        .get(&format!("/api/v1/account-pools/{pool_id}/accounts"))
        .auth(&outsider.token)
        .send()
        .await;
    assert_eq!(hidden.status, 404, "{hidden:?}");
    assert_eq!(
        claim(&app, &outsider, pool_id, vec![a_id]).await.status,
        404
    );
    // Another organization's admin sees nothing of it either.
    let stranger = app.signup("别家").await;
    let res = app
        .get(&format!("/api/v1/account-pools/{pool_id}"))
        .auth(&stranger.token)
        .send()
        .await;
    assert_eq!(res.status, 404);
    // The outsider's own accounts go to the organization's pool.
    let b = app
        .add_account(&outsider, json!({"name": "北京朝阳贸易有限公司"}))
        .await;
    let res = release(&app, &outsider, b["id"].as_str().expect("id")).await;
    assert_eq!(res.body["pool_id"], company["id"], "{res:?}");

    // Assigning: a salesperson may not; a manager gives to a member within reach; the
    // assignee is told, and a PATCH of the owner of an account in a pool is refused.
    let assign = |who: &Session, owner: Uuid| {
        app.post(&format!("/api/v1/account-pools/{pool_id}/assign"))
            .auth(&who.token)
            .json(&json!({"account_ids": [a_id], "owner_id": owner}))
            .send()
    };
    assert_eq!(assign(&rep2, rep2.user_id).await.status, 403);
    let patch = app
        .patch(&format!("/api/v1/accounts/{a_id}"))
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({"owner_id": rep2.user_id}))
        .send()
        .await;
    assert!(patch.is_problem(422), "{patch:?}");
    assert_eq!(patch.body["errors"][0]["field"], "owner_id");
    let res = assign(&manager, outsider.user_id).await;
    assert!(res.is_problem(422), "{res:?}");
    assert_eq!(res.body["errors"][0]["field"], "owner_id");
    let res = assign(&manager, rep2.user_id).await;
    assert_eq!(res.status, 200, "{res:?}");
    assert_eq!(
        account(&app, &rep2, a_id).await.body["owner_id"],
        json!(rep2.user_id)
    );
    let told = kinds(&app, &rep2, "records_transferred").await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(
        res.body["quota"]["claimed_today"], 0,
        "an assignment is not a claim"
    );
}

#[tokio::test]
async fn pool_settings_are_checked_and_versioned() {
    let app = TestApp::spawn().await;
    let admin = app.signup("公海设置").await;
    let rep = app.add_user(&admin, "sales", None).await;
    let bad = app
        .post("/api/v1/account-pools")
        .auth(&admin.token)
        .json(&json!({"name": "公海", "rules": [
            {"class": "potential", "idle_days": 15}, {"class": "potential", "idle_days": 9},
        ]}))
        .send()
        .await;
    assert!(bad.is_problem(422), "{bad:?}");
    assert_eq!(bad.body["errors"][0]["field"], "rules");
    let bad = app
        .post("/api/v1/account-pools")
        .auth(&admin.token)
        .json(&json!({"name": "公海", "rules": [{"class": "vip", "idle_days": 0}]}))
        .send()
        .await;
    assert!(bad.status == 422 || bad.status == 400, "{bad:?}");
    let as_rep = app
        .post("/api/v1/account-pools")
        .auth(&rep.token)
        .json(&json!({"name": "我的公海"}))
        .send()
        .await;
    assert_eq!(as_rep.status, 403);
    let pool = add_pool(&app, &admin, json!({"name": "公海"})).await;
    let again = app
        .post("/api/v1/account-pools")
        .auth(&admin.token)
        .json(&json!({"name": "公海"}))
        .send()
        .await;
    assert!(again.is_problem(409), "{again:?}");
    assert_eq!(again.body["errors"][0]["field"], "name");
    let second = app
        .post("/api/v1/account-pools")
        .auth(&admin.token)
        .json(&json!({"name": "另一个公海"}))
        .send()
        .await;
    assert!(second.is_problem(409), "one organization pool: {second:?}");
    assert_eq!(second.body["errors"][0]["field"], "department_id");

    // Versions: simultaneous edits at one version let one through.
    let path = format!("/api/v1/account-pools/{}", pool["id"].as_str().expect("id"));
    let edits = (0..6).map(|i| {
        app.patch(&path)
            .auth(&admin.token)
            .if_match("\"1\"")
            .json(&json!({"warn_days": i + 1}))
            .send()
    });
    let results = futures::future::join_all(edits).await;
    assert_eq!(
        results.iter().filter(|r| r.status == 200).count(),
        1,
        "{results:?}"
    );
    assert!(results
        .iter()
        .filter(|r| r.status != 200)
        .all(|r| r.status == 412));

    // A pool with accounts in it stays until they leave it.
    let a = app
        .add_account(&rep, json!({"name": "留在公海有限公司"}))
        .await;
    assert_eq!(
        release(&app, &rep, a["id"].as_str().expect("id"))
            .await
            .status,
        200
    );
    let res = app.delete(&path).auth(&admin.token).send().await;
    assert!(res.is_problem(409), "{res:?}");
    let res = claim(
        &app,
        &admin,
        pool["id"].as_str().expect("id"),
        vec![a["id"].as_str().expect("id")],
    )
    .await;
    assert_eq!(res.status, 200, "{res:?}");
    let res = app.delete(&path).auth(&admin.token).send().await;
    assert_eq!(res.status, 204, "{res:?}");

    // A department with a pool is not deleted from under it.
    let dept = app.add_department(&admin, "临时部门", None).await;
    add_pool(
        &app,
        &admin,
        json!({"name": "临时公海", "department_id": dept}),
    )
    .await;
    let res = app
        .delete(&format!("/api/v1/departments/{dept}"))
        .auth(&admin.token)
        .send()
        .await;
    assert!(res.is_problem(409), "{res:?}");
}
