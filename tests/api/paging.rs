//! Keyset pagination: every record exactly once, in order, under every allowed sort.

use futures::future::join_all;
use serde_json::{json, Value};
use std::cmp::Ordering;
use std::collections::HashSet;
use testkit::TestApp;

const RECORDS: usize = 130;
const PAGE: usize = 7;

/// Compares two values of a sort field the way the API orders them: nulls last either way.
fn compare(a: &Value, b: &Value, desc: bool) -> Ordering {
    let key = |v: &Value| -> Option<(f64, String)> {
        match v {
            Value::Null => None,
            Value::Number(n) => Some((n.as_f64().unwrap_or_default(), String::new())),
            Value::Object(m) => m
                .get("amount")
                .and_then(Value::as_str)
                .map(|s| (s.parse().unwrap_or_default(), String::new())),
            Value::String(s) => Some((0.0, fixed_fraction(s))),
            other => panic!("unexpected sort value {other}"),
        }
    };
    match (key(a), key(b)) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(x), Some(y)) => {
            let o = x.partial_cmp(&y).unwrap_or(Ordering::Equal);
            if desc {
                o.reverse()
            } else {
                o
            }
        }
    }
}

/// RFC 3339 timestamps carry 0, 3, 6 or 9 fraction digits; padded to 9 they compare as text.
fn fixed_fraction(s: &str) -> String {
    match s.strip_suffix('Z') {
        Some(t) if t.len() >= 19 && t.as_bytes()[10] == b'T' => {
            let (secs, frac) = t.split_at(19);
            format!("{secs}{:0<10}Z", if frac.is_empty() { "." } else { frac })
        }
        _ => s.to_string(),
    }
}

#[tokio::test]
async fn a_cursor_walk_returns_every_record_once_in_order_under_every_sort() {
    let app = TestApp::spawn().await;
    let admin = app.signup("分页测试").await;
    // Ties, nulls and repeated names on purpose: the id breaks ties.
    for chunk in (0..RECORDS).collect::<Vec<_>>().chunks(10) {
        join_all(chunk.iter().map(|&i| {
            let employees = if i % 5 == 0 { Value::Null } else { json!(i % 9) };
            let revenue = if i % 4 == 0 { Value::Null } else { json!({"amount": format!("{}.50", i % 6), "currency": "CNY"}) };
            app.add_account(&admin, json!({"name": format!("客户{:02}", i % 40), "employees": employees, "annual_revenue": revenue}))
        }))
        .await;
    }
    let sorts = [
        "name",
        "-name",
        "employees",
        "-employees",
        "annual_revenue",
        "-annual_revenue",
        "created_at",
        "-created_at",
        "updated_at",
        "-updated_at",
        "employees,-name",
        "-annual_revenue,name",
    ];
    for sort in sorts {
        let mut seen: Vec<Value> = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let mut url = format!("/api/v1/accounts?sort={sort}&limit={PAGE}");
            if let Some(c) = &cursor {
                url.push_str(&format!("&cursor={c}"));
            }
            let res = app.get(&url).auth(&admin.token).send().await;
            assert_eq!(res.status, 200, "{sort}: {res:?}");
            assert!(res.data().len() <= PAGE);
            seen.extend(res.data().iter().cloned());
            pages += 1;
            assert!(pages <= RECORDS / PAGE + 2, "{sort}: the walk does not end");
            match res.body["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => break,
            }
        }
        let ids: HashSet<&str> = seen.iter().filter_map(|a| a["id"].as_str()).collect();
        assert_eq!(seen.len(), RECORDS, "{sort}: every record once");
        assert_eq!(ids.len(), RECORDS, "{sort}: no record twice");
        let first = sort.split(',').next().unwrap_or(sort);
        let (field, desc) = first
            .strip_prefix('-')
            .map_or((first, false), |f| (f, true));
        for pair in seen.windows(2) {
            assert_ne!(
                compare(&pair[0][field], &pair[1][field], desc),
                Ordering::Greater,
                "{sort}: out of order {} then {}",
                pair[0][field],
                pair[1][field]
            );
        }
    }

    let page = app
        .get("/api/v1/accounts?sort=name&limit=5&count=true")
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(page.body["total"], RECORDS);
    let cursor = page.str("/next_cursor");
    let mismatched = app
        .get(&format!("/api/v1/accounts?sort=employees&cursor={cursor}"))
        .auth(&admin.token)
        .send()
        .await;
    assert!(
        mismatched.is_problem(400),
        "a cursor belongs to its sort: {mismatched:?}"
    );
}
