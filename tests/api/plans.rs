//! Every list sort, quick search, global search, timeline and forecast query has an index to
//! use. At test scale the planner would rightly read tiny tables sequentially, so sequential
//! scans and sorts are priced out: a `Seq Scan` of a big table that remains means no index can
//! serve the query, and a `Sort` under a plain list means no index gives its order (a full sort
//! of the organization on every page at scale). `make bench` runs the same check (`kehu plans`)
//! on the large dataset with the planner left alone.

use diesel_async::SimpleAsyncConnection;
use persistence::plans::Shape;
use testkit::TestApp;

#[tokio::test]
async fn every_list_search_and_forecast_query_can_use_an_index() {
    let app = TestApp::spawn().await;
    let admin = app.signup("计划检查").await;
    let sales = app.add_user(&admin, "sales", None).await;
    // Custom fields of each kind of index, on two entities: their filters and sorts are checked
    // with the built-in fields'.
    let mut defined = Vec::new();
    for (entity, key, t) in [
        ("contacts", "level", "number"),
        ("contacts", "badge", "multi_picklist"),
        ("accounts", "signed", "date"),
        ("accounts", "code", "text"),
    ] {
        let mut body = serde_json::json!({"entity": entity, "key": key, "type": t, "filterable": true,
                                          "label": {"zh": key, "en": key}});
        if t == "multi_picklist" {
            body["options"] = serde_json::json!([{"key": "x", "zh": "X", "en": "X"}]);
        }
        defined.push(crate::custom_fields::field(&app, &admin, body).await);
    }
    for f in &defined {
        crate::custom_lists::until_indexed(&app, &admin, f).await;
    }
    let pool = persistence::db::pool(&app.db.url, 1).expect("pool");
    let mut conn = persistence::db::conn(&pool).await.expect("connection");
    conn.batch_execute("SET enable_seqscan = off; SET enable_sort = off")
        .await
        .expect("price out scans and sorts");
    let mut problems = Vec::new();
    let mut checked = 0;
    for who in [&admin, &sales] {
        let (_, _, scope) = persistence::users::principal(&mut conn, who.user_id)
            .await
            .expect("principal");
        for plan in persistence::plans::explain_all(&mut conn, &scope)
            .await
            .expect("explain")
        {
            checked += 1;
            if let Some(table) = plan.seq_scan() {
                problems.push(format!(
                    "{}: reads {table} sequentially\n{}",
                    plan.request, plan.plan
                ));
            }
            if plan.needs_plan_per_run() && !plan.planned_per_run {
                // Diesel keeps statements prepared; PostgreSQL's generic plan for one ignores
                // the values (a quick search walked the whole organization instead of the index).
                problems.push(format!("{}: may run on a generic plan", plan.request));
            }
            if plan.shape == Shape::OrderedList && plan.sorts() {
                problems.push(format!(
                    "{}: no index gives this order\n{}",
                    plan.request, plan.plan
                ));
            }
        }
    }
    assert!(checked > 100, "every sort of every list: {checked}");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
