//! Role × owner × tenant: who sees and changes which accounts.

use serde_json::json;
use std::collections::BTreeSet;
use testkit::{Session, TestApp};
use uuid::Uuid;

struct Org {
    admin: Session,
    manager: Session,
    readonly: Session,
    /// In a sub-department of the manager's.
    sales_sub: Session,
    /// In the manager's department.
    sales_same: Session,
    /// In another region.
    sales_other: Session,
    /// Account ids by owner: admin, sales_sub, sales_same, sales_other.
    accounts: [Uuid; 4],
}

async fn org(app: &TestApp) -> Org {
    let admin = app.signup("可见性测试公司").await;
    let south = app.add_department(&admin, "华南大区", None).await;
    let shenzhen = app.add_department(&admin, "深圳组", Some(south)).await;
    let north = app.add_department(&admin, "华北大区", None).await;
    let manager = app.add_user(&admin, "manager", Some(south)).await;
    let readonly = app.add_user(&admin, "readonly", Some(south)).await;
    let sales_sub = app.add_user(&admin, "sales", Some(shenzhen)).await;
    let sales_same = app.add_user(&admin, "sales", Some(south)).await;
    let sales_other = app.add_user(&admin, "sales", Some(north)).await;
    let mut accounts = [Uuid::nil(); 4];
    for (i, owner) in [&admin, &sales_sub, &sales_same, &sales_other]
        .into_iter()
        .enumerate()
    {
        let account = app
            .add_account(
                owner,
                json!({"name": format!("可见性客户{i}号"), "phone": format!("1380013800{i}")}),
            )
            .await;
        accounts[i] = account["id"].as_str().expect("id").parse().expect("uuid");
    }
    Org {
        admin,
        manager,
        readonly,
        sales_sub,
        sales_same,
        sales_other,
        accounts,
    }
}

async fn listed(app: &TestApp, who: &Session) -> BTreeSet<Uuid> {
    let res = app
        .get("/api/v1/accounts?limit=200")
        .auth(&who.token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    res.data()
        .iter()
        .map(|a| a["id"].as_str().expect("id").parse().expect("uuid"))
        .collect()
}

async fn searched(app: &TestApp, who: &Session) -> BTreeSet<Uuid> {
    let res = app
        .get("/api/v1/search?q=可见性客户")
        .auth(&who.token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    res.data()
        .iter()
        .map(|h| h["id"].as_str().expect("id").parse().expect("uuid"))
        .collect()
}

async fn gettable(app: &TestApp, who: &Session, ids: &[Uuid]) -> BTreeSet<Uuid> {
    let mut seen = BTreeSet::new();
    for id in ids {
        let res = app
            .get(&format!("/api/v1/accounts/{id}"))
            .auth(&who.token)
            .send()
            .await;
        match res.status {
            200 => {
                seen.insert(*id);
            }
            404 => assert!(res.is_problem(404)),
            other => panic!("GET by id answered {other}: {res:?}"),
        }
    }
    seen
}

#[tokio::test]
async fn each_role_sees_exactly_its_reach_in_get_list_and_search() {
    let app = TestApp::spawn().await;
    let o = org(&app).await;
    let [a_admin, a_sub, a_same, a_other] = o.accounts;
    let other_tenant = app.signup("别的公司").await;
    let theirs = app
        .add_account(&other_tenant, json!({"name": "可见性客户X号"}))
        .await;
    let their_id: Uuid = theirs["id"].as_str().expect("id").parse().expect("uuid");
    let every = [a_admin, a_sub, a_same, a_other, their_id];

    let expect: [(&Session, BTreeSet<Uuid>); 6] = [
        (&o.admin, [a_admin, a_sub, a_same, a_other].into()),
        (&o.manager, [a_sub, a_same].into()),
        (&o.readonly, [a_sub, a_same].into()),
        (&o.sales_sub, [a_sub].into()),
        (&o.sales_same, [a_same].into()),
        (&o.sales_other, [a_other].into()),
    ];
    for (who, visible) in &expect {
        assert_eq!(&listed(&app, who).await, visible, "list for {}", who.email);
        assert_eq!(
            &searched(&app, who).await,
            visible,
            "search for {}",
            who.email
        );
        assert_eq!(
            &gettable(&app, who, &every).await,
            visible,
            "get for {}",
            who.email
        );
    }
    assert_eq!(
        listed(&app, &other_tenant).await,
        [their_id].into(),
        "tenants never mix"
    );
    assert_eq!(
        gettable(&app, &other_tenant, &every).await,
        [their_id].into()
    );
    let history = app
        .get(&format!("/api/v1/accounts/{a_sub}/history"))
        .auth(&o.sales_other.token)
        .send()
        .await;
    assert!(history.is_problem(404), "history follows visibility");
}

#[tokio::test]
async fn changes_follow_visibility_and_role() {
    let app = TestApp::spawn().await;
    let o = org(&app).await;
    let [a_admin, a_sub, a_same, a_other] = o.accounts;
    let other_tenant = app.signup("别的公司").await;
    let patch = |who: &Session, id: Uuid| {
        app.patch(&format!("/api/v1/accounts/{id}"))
            .auth(&who.token)
            .if_match("*")
            .json(&json!({"class": "target"}))
            .send()
    };
    let delete = |who: &Session, id: Uuid| {
        app.delete(&format!("/api/v1/accounts/{id}"))
            .auth(&who.token)
            .if_match("*")
            .send()
    };

    // Out of reach (or another tenant): 404, never 403, and nothing changes.
    for (who, id) in [
        (&o.sales_sub, a_same),
        (&o.sales_other, a_sub),
        (&o.manager, a_other),
        (&o.manager, a_admin),
        (&other_tenant, a_sub),
    ] {
        assert!(
            patch(who, id).await.is_problem(404),
            "patch by {}",
            who.email
        );
        assert!(
            delete(who, id).await.is_problem(404),
            "delete by {}",
            who.email
        );
        let restore = app
            .post(&format!("/api/v1/accounts/{id}/restore"))
            .auth(&who.token)
            .send()
            .await;
        assert!(restore.is_problem(404), "restore by {}", who.email);
    }
    // Read-only users see their department's records but change nothing.
    let ro = patch(&o.readonly, a_sub).await;
    assert!(ro.is_problem(403), "{ro:?}");
    let ro_create = app
        .post("/api/v1/accounts")
        .auth(&o.readonly.token)
        .json(&json!({"name": "只读用户的客户"}))
        .send()
        .await;
    assert!(ro_create.is_problem(403));
    assert!(delete(&o.readonly, a_sub).await.is_problem(403));
    for id in o.accounts {
        let res = app
            .get(&format!("/api/v1/accounts/{id}"))
            .auth(&o.admin.token)
            .send()
            .await;
        assert_eq!(res.body["version"], 1, "untouched: {res:?}");
    }

    assert_eq!(
        patch(&o.sales_sub, a_sub).await.status,
        200,
        "owners change their own"
    );
    assert_eq!(
        patch(&o.manager, a_same).await.status,
        200,
        "managers change their department's"
    );
    assert_eq!(
        patch(&o.admin, a_other).await.status,
        200,
        "admins change all"
    );
    assert_eq!(delete(&o.manager, a_sub).await.status, 204);
    assert_eq!(delete(&o.sales_other, a_other).await.status, 204);

    // Salespeople cannot hand records to people outside their reach; an admin can, and then the
    // record leaves the former owner's view.
    let not_mine_to_give = app
        .patch(&format!("/api/v1/accounts/{a_same}"))
        .auth(&o.sales_same.token)
        .if_match("*")
        .json(&json!({"owner_id": o.sales_other.user_id}))
        .send()
        .await;
    assert!(not_mine_to_give.is_problem(422), "{not_mine_to_give:?}");
    assert_eq!(not_mine_to_give.body["errors"][0]["field"], "owner_id");
    let handed = app
        .patch(&format!("/api/v1/accounts/{a_same}"))
        .auth(&o.admin.token)
        .if_match("*")
        .json(&json!({"owner_id": o.sales_other.user_id}))
        .send()
        .await;
    assert_eq!(handed.status, 200, "{handed:?}");
    assert!(app
        .get(&format!("/api/v1/accounts/{a_same}"))
        .auth(&o.sales_same.token)
        .send()
        .await
        .is_problem(404));
    assert_eq!(
        app.get(&format!("/api/v1/accounts/{a_same}"))
            .auth(&o.sales_other.token)
            .send()
            .await
            .status,
        200
    );
    let foreign_owner = app
        .patch(&format!("/api/v1/accounts/{a_admin}"))
        .auth(&o.admin.token)
        .if_match("*")
        .json(&json!({"owner_id": other_tenant.user_id}))
        .send()
        .await;
    assert!(
        foreign_owner.is_problem(422),
        "an owner from another tenant: {foreign_owner:?}"
    );
}

/// The caller is remembered between requests (one query per request, not two); a change to
/// users or departments must still take effect on the very next request.
#[tokio::test]
async fn reach_follows_user_and_department_changes_at_once() {
    let app = TestApp::spawn().await;
    let o = org(&app).await;
    let [_, a_sub, a_same, a_other] = o.accounts;
    assert_eq!(
        listed(&app, &o.manager).await,
        BTreeSet::from([a_sub, a_same])
    );

    // A new user in the manager's department: their accounts are in reach at once.
    let newcomer = app
        .add_user(&o.admin, "sales", Some(o.sales_same.department_id))
        .await;
    let new_account = app
        .add_account(&newcomer, json!({"name": "新同事的客户"}))
        .await["id"]
        .as_str()
        .expect("id")
        .parse::<Uuid>()
        .expect("uuid");
    assert_eq!(
        listed(&app, &o.manager).await,
        BTreeSet::from([a_sub, a_same, new_account])
    );

    // The northern department moves under the manager's: its accounts come into reach.
    let north = o.sales_other.department_id;
    let moved = app
        .patch(&format!("/api/v1/departments/{north}"))
        .auth(&o.admin.token)
        .if_match("*")
        .json(&json!({"parent_id": o.sales_same.department_id}))
        .send()
        .await;
    assert_eq!(moved.status, 200, "{moved:?}");
    assert!(listed(&app, &o.manager).await.contains(&a_other));

    // Demoted to sales: only their own (none) from the next request on.
    let demoted = app
        .patch(&format!("/api/v1/users/{}", o.manager.user_id))
        .auth(&o.admin.token)
        .if_match("*")
        .json(&json!({"role": "sales"}))
        .send()
        .await;
    assert_eq!(demoted.status, 200, "{demoted:?}");
    assert!(listed(&app, &o.manager).await.is_empty());
    let me = app.get("/api/v1/me").auth(&o.manager.token).send().await;
    assert_eq!(me.body["user"]["role"], "sales", "{me:?}");
}

#[tokio::test]
async fn a_duplicate_of_someone_elses_customer_names_it_and_its_owner_but_nothing_more() {
    let app = TestApp::spawn().await;
    let admin = app.signup("撞单").await;
    let alice = app.add_user(&admin, "sales", None).await;
    let bob = app.add_user(&admin, "sales", None).await;
    let theirs = app
        .add_account(&alice, json!({"name": "厦门鼓浪屿旅游有限公司", "phone": "0592-2345678", "address": "鼓浪屿龙头路 1 号"}))
        .await;
    let res = app
        .post("/api/v1/accounts")
        .auth(&bob.token)
        .json(&json!({"name": "厦门鼓浪屿旅游有限公司"}))
        .send()
        .await;
    assert!(res.is_problem(409), "{res:?}");
    let candidate = &res.body["candidates"][0];
    let mut keys: Vec<&str> = candidate
        .as_object()
        .expect("a candidate")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        ["entity", "id", "name", "owner_id", "reasons"],
        "{candidate}"
    );
    assert_eq!(candidate["id"], theirs["id"]);
    assert_eq!(candidate["owner_id"], json!(alice.user_id));
    let open = app
        .get(&format!(
            "/api/v1/accounts/{}",
            theirs["id"].as_str().expect("id")
        ))
        .auth(&bob.token)
        .send()
        .await;
    assert!(open.is_problem(404), "bob still cannot open it: {open:?}");
}
