//! Approvals: a big deal moving into negotiation needs its department head's and then finance's
//! approval; the granted change is made by the approval; the three bypasses (editing after
//! approval, a copy created in the approved state, the change made directly) are refused;
//! 依次 with 转交 and 加签, 退回 and a new submission, rejection; simultaneous decisions.

use serde_json::{json, Value};
use testkit::{Res, Session, TestApp};

async fn stage_ids(app: &TestApp, who: &Session) -> Vec<String> {
    let res = app.get("/api/v1/pipelines").auth(&who.token).send().await;
    res.data()[0]["stages"]
        .as_array()
        .expect("stages")
        .iter()
        .map(|s| s["id"].as_str().expect("id").to_string())
        .collect()
}

async fn deal(app: &TestApp, who: &Session, name: &str, amount: &str, stage: Option<&str>) -> Res {
    let account = app
        .add_account(who, json!({"name": format!("{name}客户有限公司")}))
        .await;
    let mut body = json!({"name": name, "account_id": account["id"],
                          "amount": {"amount": amount, "currency": "CNY"}});
    if let Some(s) = stage {
        body["stage_id"] = json!(s);
    }
    app.post("/api/v1/opportunities")
        .auth(&who.token)
        .json(&body)
        .send()
        .await
}

async fn move_to(app: &TestApp, who: &Session, id: &str, stage: &str) -> Res {
    app.post(&format!("/api/v1/opportunities/{id}/move"))
        .auth(&who.token)
        .if_match("*")
        .json(&json!({"stage_id": stage, "reason": "客户签约"}))
        .send()
        .await
}

async fn submit(app: &TestApp, who: &Session, process: &str, id: &str, proposed: Value) -> Res {
    app.post("/api/v1/approvals")
        .auth(&who.token)
        .json(
            &json!({"process_id": process, "record_id": id, "proposed": proposed,
                      "comment": "请审批"}),
        )
        .send()
        .await
}

async fn decide(app: &TestApp, who: &Session, id: &str, body: Value) -> Res {
    app.post(&format!("/api/v1/approvals/{id}/decide"))
        .auth(&who.token)
        .json(&body)
        .send()
        .await
}

async fn inbox(app: &TestApp, who: &Session) -> Vec<String> {
    let res = app
        .get("/api/v1/approvals?mine=true")
        .auth(&who.token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    res.data()
        .iter()
        .map(|a| a["id"].as_str().expect("id").to_string())
        .collect()
}

async fn process(app: &TestApp, admin: &Session, body: Value) -> String {
    let res = app
        .post("/api/v1/approval-processes")
        .auth(&admin.token)
        .json(&body)
        .send()
        .await;
    assert_eq!(res.status, 201, "{res:?}");
    res.str("/id").to_string()
}

#[tokio::test]
async fn a_big_deal_needs_its_head_and_finance_and_no_way_around_them() {
    let app = TestApp::spawn().await;
    let admin = app.signup("审批").await;
    let south = app.add_department(&admin, "华南销售部", None).await;
    let head = app.add_user(&admin, "manager", Some(south)).await;
    let rep = app.add_user(&admin, "sales", Some(south)).await;
    let finance1 = app.add_user(&admin, "finance", None).await;
    let finance2 = app.add_user(&admin, "finance", None).await;
    let stages = stage_ids(&app, &admin).await;
    let (negotiation, won) = (stages[3].clone(), stages[4].clone());
    let process_id = process(
        &app,
        &admin,
        json!({
            "entity": "opportunity", "name": "大额商机审批",
            "conditions": [{"field": "amount", "op": "gte", "value": "100000"}],
            "guards": [{"field": "stage_id", "to": [negotiation, won]}],
            "fields": ["stage_id", "amount"],
            "steps": [
                {"name": "部门负责人", "approvers": {"type": "department_head"}, "mode": "any"},
                {"name": "财务会签", "approvers": {"type": "role", "role": "finance"}, "mode": "all"},
            ],
            "cc": [admin.user_id],
        }),
    )
    .await;
    // Simultaneous edits of the process at one version let one through.
    let edits = (0..6).map(|i| {
        app.patch(&format!("/api/v1/approval-processes/{process_id}"))
            .auth(&admin.token)
            .if_match("\"1\"")
            .json(&json!({"cc": if i % 2 == 0 { vec![admin.user_id] } else { vec![] }}))
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
    // Keep the cc this test expects.
    let res = app
        .patch(&format!("/api/v1/approval-processes/{process_id}"))
        .auth(&admin.token)
        .if_match("*")
        .json(&json!({"cc": [admin.user_id]}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    let big = deal(&app, &rep, "华南大单", "200000", None).await;
    assert_eq!(big.status, 201, "{big:?}");
    let id = big.str("/id").to_string();
    // Small deals move freely; the big one is refused, naming the process.
    let small = deal(&app, &rep, "小单", "5000", None).await;
    assert_eq!(
        move_to(&app, &rep, small.str("/id"), &negotiation)
            .await
            .status,
        200
    );
    let refused = move_to(&app, &rep, &id, &negotiation).await;
    assert!(refused.is_problem(409), "{refused:?}");
    assert!(refused.body["detail"]
        .as_str()
        .unwrap_or("")
        .contains(&process_id));

    let sub = submit(
        &app,
        &rep,
        &process_id,
        &id,
        json!({"stage_id": negotiation}),
    )
    .await;
    assert_eq!(sub.status, 201, "{sub:?}");
    let approval = sub.str("/id").to_string();
    assert_eq!(sub.body["tasks"][0]["approver_id"], json!(head.user_id));
    let again = submit(
        &app,
        &rep,
        &process_id,
        &id,
        json!({"stage_id": negotiation}),
    )
    .await;
    assert!(
        again.is_problem(409),
        "one open approval per record: {again:?}"
    );
    let wrong = submit(&app, &rep, &process_id, &id, json!({"name": "改名"})).await;
    assert!(wrong.is_problem(422), "{wrong:?}");
    assert_eq!(inbox(&app, &head).await, vec![approval.clone()]);
    assert!(inbox(&app, &finance1).await.is_empty());
    // Finance takes no part before its step.
    let early = decide(&app, &finance1, &approval, json!({"decision": "approve"})).await;
    assert_eq!(early.status, 404, "{early:?}");

    let r = decide(
        &app,
        &head,
        &approval,
        json!({"decision": "approve", "comment": "同意"}),
    )
    .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.body["step"], 1);
    assert_eq!(inbox(&app, &finance1).await, vec![approval.clone()]);
    let r = decide(&app, &finance1, &approval, json!({"decision": "approve"})).await;
    assert_eq!(r.body["state"], "pending", "会签: both of finance: {r:?}");
    let opp = app
        .get(&format!("/api/v1/opportunities/{id}"))
        .auth(&rep.token)
        .send()
        .await;
    assert_eq!(
        opp.body["stage_id"],
        json!(stages[0]),
        "not before it is granted"
    );
    let r = decide(&app, &finance2, &approval, json!({"decision": "approve"})).await;
    assert_eq!(r.status, 200, "{r:?}");
    assert_eq!(r.body["state"], "approved");
    let trail: Vec<&str> = r.body["trail"]
        .as_array()
        .expect("trail")
        .iter()
        .map(|e| e["action"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        trail,
        vec!["submit", "approve", "approve", "approve", "approved"]
    );
    let opp = app
        .get(&format!("/api/v1/opportunities/{id}"))
        .auth(&rep.token)
        .send()
        .await;
    assert_eq!(
        opp.body["stage_id"],
        json!(negotiation),
        "the approval made its change"
    );
    for who in [&rep, &admin] {
        let told = app
            .get("/api/v1/notifications?kind=approval_decided")
            .auth(&who.token)
            .send()
            .await;
        assert_eq!(told.data().len(), 1, "{told:?}");
    }

    // Bypass 1: editing the approved amount afterwards.
    let edit = app
        .patch(&format!("/api/v1/opportunities/{id}"))
        .auth(&rep.token)
        .if_match("*")
        .json(&json!({"amount": {"amount": "900000", "currency": "CNY"}}))
        .send()
        .await;
    assert!(edit.is_problem(409), "{edit:?}");
    // A field the approval does not hold for may change.
    let rename = app
        .patch(&format!("/api/v1/opportunities/{id}"))
        .auth(&rep.token)
        .if_match("*")
        .json(&json!({"name": "华南大单（二期）"}))
        .send()
        .await;
    assert_eq!(rename.status, 200, "{rename:?}");
    // Bypass 2: a copy created straight into the approved stage.
    let copy = deal(&app, &rep, "华南大单副本", "200000", Some(&negotiation)).await;
    assert!(copy.is_problem(409), "{copy:?}");
    // Bypass 3: the next guarded move, made directly, even by an admin.
    let direct = move_to(&app, &admin, &id, &won).await;
    assert!(direct.is_problem(409), "{direct:?}");
    // And the spent approval grants nothing more.
    let done = decide(&app, &finance2, &approval, json!({"decision": "approve"})).await;
    assert!(done.is_problem(409), "{done:?}");
}

#[tokio::test]
async fn in_turn_with_delegation_added_signers_send_back_and_rejection() {
    let app = TestApp::spawn().await;
    let admin = app.signup("依次审批").await;
    let rep = app.add_user(&admin, "sales", None).await;
    let (a, b, c, d) = (
        app.add_user(&admin, "manager", None).await,
        app.add_user(&admin, "manager", None).await,
        app.add_user(&admin, "manager", None).await,
        app.add_user(&admin, "manager", None).await,
    );
    let stages = stage_ids(&app, &admin).await;
    let won = stages[4].clone();
    let process_id = process(
        &app,
        &admin,
        json!({
            "entity": "opportunity", "name": "赢单审批",
            "guards": [{"field": "status", "to": ["won"]}],
            "fields": ["stage_id", "status", "amount"],
            "steps": [{"name": "依次审批", "mode": "sequential",
                       "approvers": {"type": "users", "user_ids": [a.user_id, b.user_id]}}],
        }),
    )
    .await;
    let opp = deal(&app, &rep, "依次单", "30000", None).await;
    let id = opp.str("/id").to_string();
    assert!(move_to(&app, &rep, &id, &won).await.is_problem(409));
    let proposed = json!({"stage_id": won, "reason": "客户签约"});
    let sub = submit(&app, &rep, &process_id, &id, proposed.clone()).await;
    assert_eq!(sub.status, 201, "{sub:?}");
    let first = sub.str("/id").to_string();
    assert!(inbox(&app, &b).await.is_empty(), "b's turn comes after a's");
    // a hands the task to c (转交); c adds d after b (加签); c approves; b sends it back (退回).
    let r = decide(
        &app,
        &a,
        &first,
        json!({"decision": "delegate", "user_id": c.user_id}),
    )
    .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert!(inbox(&app, &a).await.is_empty());
    assert_eq!(inbox(&app, &c).await, vec![first.clone()]);
    let r = decide(
        &app,
        &c,
        &first,
        json!({"decision": "add_signer", "user_id": d.user_id}),
    )
    .await;
    assert_eq!(r.status, 200, "{r:?}");
    assert!(inbox(&app, &d).await.is_empty(), "d waits for the turn");
    decide(&app, &c, &first, json!({"decision": "approve"})).await;
    assert_eq!(inbox(&app, &b).await, vec![first.clone()]);
    let r = decide(
        &app,
        &b,
        &first,
        json!({"decision": "return", "comment": "补充合同"}),
    )
    .await;
    assert_eq!(r.body["state"], "returned", "{r:?}");
    assert!(inbox(&app, &d).await.is_empty());

    // Submitted again: a, b, then the added signer is not carried over (a new approval).
    let sub = submit(&app, &rep, &process_id, &id, proposed.clone()).await;
    let second = sub.str("/id").to_string();
    decide(&app, &a, &second, json!({"decision": "approve"})).await;
    let r = decide(
        &app,
        &b,
        &second,
        json!({"decision": "approve", "comment": "可以"}),
    )
    .await;
    assert_eq!(r.body["state"], "approved", "{r:?}");
    let got = app
        .get(&format!("/api/v1/opportunities/{id}"))
        .auth(&rep.token)
        .send()
        .await;
    assert_eq!(got.body["status"], "won", "{got:?}");

    // A rejection leaves the record as it was; the submitter withdraws another.
    let other = deal(&app, &rep, "驳回单", "30000", None).await;
    let oid = other.str("/id").to_string();
    let sub = submit(&app, &rep, &process_id, &oid, proposed.clone()).await;
    let r = decide(
        &app,
        &a,
        sub.str("/id"),
        json!({"decision": "reject", "comment": "价格太低"}),
    )
    .await;
    assert_eq!(r.body["state"], "rejected", "{r:?}");
    let got = app
        .get(&format!("/api/v1/opportunities/{oid}"))
        .auth(&rep.token)
        .send()
        .await;
    assert_eq!(got.body["status"], "open");
    let sub = submit(&app, &rep, &process_id, &oid, proposed).await;
    let not_mine = decide(&app, &a, sub.str("/id"), json!({"decision": "cancel"})).await;
    assert_eq!(not_mine.status, 403);
    let r = decide(&app, &rep, sub.str("/id"), json!({"decision": "cancel"})).await;
    assert_eq!(r.body["state"], "cancelled", "{r:?}");
    // Who takes no part sees nothing of it.
    let outsider = app.add_user(&admin, "sales", None).await;
    let res = app
        .get(&format!("/api/v1/approvals/{first}"))
        .auth(&outsider.token)
        .send()
        .await;
    assert_eq!(res.status, 404);
}

#[tokio::test]
async fn simultaneous_decisions_grant_once() {
    let app = TestApp::spawn().await;
    let admin = app.signup("并发审批").await;
    let rep = app.add_user(&admin, "sales", None).await;
    let mut approvers = Vec::new();
    for _ in 0..4 {
        approvers.push(app.add_user(&admin, "manager", None).await);
    }
    let ids: Vec<_> = approvers.iter().map(|a| a.user_id).collect();
    let stages = stage_ids(&app, &admin).await;
    let process_id = process(
        &app,
        &admin,
        json!({"entity": "opportunity", "name": "或签",
               "guards": [{"field": "status", "to": ["won"]}], "fields": ["stage_id", "status"],
               "steps": [{"name": "任一经理", "mode": "any",
                          "approvers": {"type": "users", "user_ids": ids}}]}),
    )
    .await;
    let opp = deal(&app, &rep, "抢着批", "10000", None).await;
    let id = opp.str("/id").to_string();
    let sub = submit(
        &app,
        &rep,
        &process_id,
        &id,
        json!({"stage_id": stages[4], "reason": "签约"}),
    )
    .await;
    let approval = sub.str("/id").to_string();
    let tries = approvers
        .iter()
        .map(|a| decide(&app, a, &approval, json!({"decision": "approve"})));
    let results = futures::future::join_all(tries).await;
    assert_eq!(
        results.iter().filter(|r| r.status == 200).count(),
        1,
        "{results:?}"
    );
    assert!(results
        .iter()
        .filter(|r| r.status != 200)
        .all(|r| r.status == 409 || r.status == 403));
    let got = app
        .get(&format!("/api/v1/opportunities/{id}"))
        .auth(&rep.token)
        .send()
        .await;
    assert_eq!(got.body["status"], "won");
    assert_eq!(got.body["version"], 2, "moved once: {got:?}");
}
