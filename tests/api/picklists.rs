use serde_json::{json, Value};
use testkit::{urlencode, TestApp};

#[tokio::test]
async fn organizations_edit_their_picklists_and_writes_follow_them() {
    let app = TestApp::spawn().await;
    let admin = app.signup("选项列表").await;
    let sales = app.add_user(&admin, "sales", None).await;
    let all = app.get("/api/v1/picklists").auth(&sales.token).send().await;
    assert_eq!(all.status, 200, "{all:?}");
    let names: Vec<&str> = all
        .data()
        .iter()
        .filter_map(|l| l["name"].as_str())
        .collect();
    assert_eq!(
        names,
        ["industry", "source", "lost_reason", "disqualify_reason"]
    );
    let source = app
        .get("/api/v1/picklists/source")
        .auth(&sales.token)
        .send()
        .await;
    assert_eq!(source.etag(), "\"0\"", "built-in values");
    let mut values: Vec<Value> = source.body["values"].as_array().expect("values").clone();
    assert!(values
        .iter()
        .any(|v| v["key"] == "trade_show" && v["zh"] == "商业展示" && v["en"] == "Trade show"));
    assert!(app
        .get("/api/v1/picklists/colours")
        .auth(&sales.token)
        .send()
        .await
        .is_problem(404));

    for v in values.iter_mut() {
        if v["key"] == "advertising" {
            v["active"] = json!(false);
        }
    }
    values.push(json!({"key": "wechat_ads", "zh": "微信广告", "en": "WeChat ads"}));
    let body = json!({ "values": values });
    let put = |who: &testkit::Session, etag: Option<&str>, body: &Value| {
        let mut call = app
            .call(reqwest::Method::PUT, "/api/v1/picklists/source")
            .auth(&who.token)
            .json(body);
        if let Some(e) = etag {
            call = call.if_match(e);
        }
        call.send()
    };
    assert!(put(&sales, Some("\"0\""), &body).await.is_problem(403));
    assert!(put(&admin, None, &body).await.is_problem(428));
    let dropped = json!({"values": values[1..].to_vec()});
    let refused = put(&admin, Some("\"0\""), &dropped).await;
    assert!(refused.is_problem(422), "{refused:?}");
    assert_eq!(refused.body["errors"][0]["code"], "kept");
    let saved = put(&admin, Some("\"0\""), &body).await;
    assert_eq!(saved.status, 200, "{saved:?}");
    assert_eq!(saved.etag(), "\"1\"");
    assert!(put(&admin, Some("\"0\""), &body).await.is_problem(412));

    let new_value = app
        .post("/api/v1/accounts")
        .auth(&sales.token)
        .json(&json!({"name": "微信来的客户", "source": "wechat_ads"}))
        .send()
        .await;
    assert_eq!(new_value.status, 201, "{new_value:?}");
    let retired = app
        .post("/api/v1/leads")
        .auth(&sales.token)
        .json(&json!({"name": "王先生", "source": "advertising"}))
        .send()
        .await;
    assert!(retired.is_problem(422));
    assert_eq!(retired.body["errors"][0]["field"], "source");

    let other = app.signup("另一家公司").await;
    let theirs = app
        .get("/api/v1/picklists/source")
        .auth(&other.token)
        .send()
        .await;
    assert_eq!(theirs.etag(), "\"0\"", "one organization's edit is its own");
}

#[tokio::test]
async fn regions_form_a_tree_that_accounts_must_use() {
    let app = TestApp::spawn().await;
    let admin = app.signup("地区").await;
    let provinces = app.get("/api/v1/regions").auth(&admin.token).send().await;
    assert_eq!(provinces.data().len(), 31);
    let cities = app
        .get("/api/v1/regions?parent=440000")
        .auth(&admin.token)
        .send()
        .await;
    assert!(cities
        .data()
        .iter()
        .any(|c| c["code"] == "440300" && c["name_zh"] == "深圳市" && c["name_en"] == "Shenzhen"));
    let found = app
        .get(&format!("/api/v1/regions?q={}", urlencode("南山")))
        .auth(&admin.token)
        .send()
        .await;
    assert!(found.data().iter().any(|r| r["code"] == "440305"));
    let by_english = app
        .get("/api/v1/regions?q=nanshan")
        .auth(&admin.token)
        .send()
        .await;
    assert!(by_english.data().iter().any(|r| r["code"] == "440305"));
    let path = app
        .get("/api/v1/regions/440305/path")
        .auth(&admin.token)
        .send()
        .await;
    let names: Vec<&str> = path
        .data()
        .iter()
        .filter_map(|r| r["name_zh"].as_str())
        .collect();
    assert_eq!(names, ["广东省", "深圳市", "南山区"]);
    assert!(app
        .get("/api/v1/regions/999999/path")
        .auth(&admin.token)
        .send()
        .await
        .is_problem(404));
    let unknown = app
        .post("/api/v1/accounts")
        .auth(&admin.token)
        .json(&json!({"name": "无名地区公司", "region": "440399"}))
        .send()
        .await;
    assert!(unknown.is_problem(422));
    assert_eq!(unknown.body["errors"][0]["field"], "region");
}
