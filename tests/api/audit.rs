//! The audit trail leaves nothing out: users' creation and changes, and every record a transfer
//! moves; a timeline credits an activity to who did it.

use serde_json::{json, Value};
use testkit::{Session, TestApp, PASSWORD};

async fn history(app: &TestApp, who: &Session, path: &str) -> Vec<Value> {
    let res = app.get(path).auth(&who.token).send().await;
    assert_eq!(res.status, 200, "{path}: {res:?}");
    res.data().clone()
}

fn change<'h>(entry: &'h Value, field: &str) -> Option<&'h Value> {
    entry["changes"]
        .as_array()?
        .iter()
        .find(|c| c["field"] == field)
}

#[tokio::test]
async fn creating_and_changing_a_user_is_in_their_history() {
    let app = TestApp::spawn().await;
    let admin = app.signup("用户审计").await;
    let sales = app.add_user(&admin, "sales", None).await;
    let url = format!("/api/v1/users/{}", sales.user_id);

    let created = history(&app, &admin, &format!("{url}/history")).await;
    assert_eq!(created.len(), 1, "{created:?}");
    assert_eq!(created[0]["action"], "create");
    assert_eq!(created[0]["actor_id"], json!(admin.user_id));
    assert_eq!(change(&created[0], "role").expect("role")["new"], "sales");

    let res = app
        .patch(&url)
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({"name": "改名的销售", "password": "a-new-password-2026"}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    let res = app
        .patch(&url)
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({"active": false}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");

    let entries = history(&app, &admin, &format!("{url}/history")).await;
    assert_eq!(entries.len(), 3, "{entries:?}");
    let (deactivated, renamed) = (&entries[0], &entries[1]);
    assert_eq!(deactivated["action"], "update");
    assert_eq!(change(deactivated, "active").expect("active")["new"], false);
    assert_eq!(change(renamed, "name").expect("name")["new"], "改名的销售");
    let password = change(renamed, "password").expect("the password change is recorded");
    assert_eq!(password["new"], "changed", "never the password or its hash");
    assert!(
        !serde_json::to_string(&entries)
            .unwrap_or_default()
            .contains("argon2"),
        "no hash in the history"
    );
    assert_ne!(PASSWORD, "a-new-password-2026");
}

#[tokio::test]
async fn a_transfer_is_in_each_moved_records_history_and_keeps_who_did_the_activities() {
    let app = TestApp::spawn().await;
    let admin = app.signup("移交审计").await;
    let alice = app.add_user(&admin, "sales", None).await;
    let bob = app.add_user(&admin, "sales", None).await;
    let account = app
        .add_account(&alice, json!({"name": "无锡太湖纺织有限公司"}))
        .await;
    let account_id = account["id"].as_str().expect("id");
    let visit = app
        .post("/api/v1/activities")
        .auth(&alice.token)
        .json(&json!({"kind": "visit", "subject": "拜访太湖纺织", "entity": "account", "entity_id": account_id}))
        .send()
        .await;
    assert_eq!(visit.status, 201, "{visit:?}");

    let moved = app
        .post(&format!("/api/v1/users/{}/transfer", alice.user_id))
        .auth(&admin.token)
        .json(&json!({ "to_user_id": bob.user_id }))
        .send()
        .await;
    assert_eq!(moved.status, 200, "{moved:?}");

    for path in [
        format!("/api/v1/accounts/{account_id}/history"),
        format!("/api/v1/activities/{}/history", visit.str("/id")),
    ] {
        let entries = history(&app, &admin, &path).await;
        let transfer = entries
            .iter()
            .find(|e| e["action"] == "transfer")
            .unwrap_or_else(|| panic!("{path}: no transfer in {entries:?}"));
        assert_eq!(transfer["actor_id"], json!(admin.user_id));
        let owner = change(transfer, "owner_id").expect("owner change");
        assert_eq!(owner["old"], json!(alice.user_id));
        assert_eq!(owner["new"], json!(bob.user_id));
    }

    let timeline = app
        .get(&format!(
            "/api/v1/accounts/{account_id}/timeline?kind=activity"
        ))
        .auth(&bob.token)
        .send()
        .await;
    assert_eq!(timeline.status, 200, "{timeline:?}");
    let item = timeline
        .data()
        .iter()
        .find(|i| i["id"] == visit.body["id"])
        .expect("the visit is on the timeline");
    assert_eq!(
        item["actor_id"],
        json!(alice.user_id),
        "alice made the visit, whoever owns it now"
    );
}
