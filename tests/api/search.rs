use serde_json::json;
use testkit::urlencode;
use testkit::TestApp;

#[tokio::test]
async fn search_finds_chinese_substrings_latin_words_and_phone_digits() {
    let app = TestApp::spawn().await;
    let admin = app.signup("搜索测试").await;
    let fengze = app
        .add_account(&admin, json!({"name": "深圳市丰泽日用品有限公司", "phone": "0755-8888 6666", "address": "南山区科技园"}))
        .await;
    let acme = app
        .add_account(
            &admin,
            json!({"name": "Acme Trading (Shanghai) Co., Ltd.", "website": "acme.example.com"}),
        )
        .await;
    app.add_account(&admin, json!({"name": "北京丰台建设集团"}))
        .await;

    let ids = |res: &testkit::Res| {
        res.data()
            .iter()
            .map(|h| h["id"].clone())
            .collect::<Vec<_>>()
    };
    let search = |q: &str| {
        app.get(&format!("/api/v1/search?q={}", urlencode(q)))
            .auth(&admin.token)
            .send()
    };

    let res = search("丰泽").await;
    assert_eq!(res.status, 200, "{res:?}");
    assert_eq!(
        ids(&res),
        [fengze["id"].clone()],
        "a two-character Chinese substring"
    );
    assert_eq!(res.data()[0]["entity"], "account");
    assert_eq!(res.data()[0]["title"], "深圳市丰泽日用品有限公司");
    assert_eq!(ids(&search("日用品").await), [fengze["id"].clone()]);
    assert_eq!(
        ids(&search("科技园").await),
        [fengze["id"].clone()],
        "the address is searched too"
    );
    assert_eq!(
        search("丰").await.data().len(),
        2,
        "one character matches both 丰 names"
    );
    assert_eq!(
        ids(&search("acme").await),
        [acme["id"].clone()],
        "Latin text, any case"
    );
    assert_eq!(
        ids(&search("TRADING shanghai").await),
        [acme["id"].clone()],
        "several words, all must match"
    );
    assert_eq!(
        ids(&search("88886666").await),
        [fengze["id"].clone()],
        "phone digits"
    );
    assert_eq!(
        ids(&search("0755-88886666").await),
        [fengze["id"].clone()],
        "phone as dialled"
    );
    assert!(search("不存在的公司").await.data().is_empty());

    let list = app
        .get(&format!("/api/v1/accounts?q={}", urlencode("丰泽")))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(
        ids(&list),
        [fengze["id"].clone()],
        "quick search on the list"
    );

    let empty = app.get("/api/v1/search?q=").auth(&admin.token).send().await;
    assert!(empty.is_problem(400) || empty.is_problem(422), "{empty:?}");
}

/// Global search ranks a bounded number of substring matches per entity (reading thousands of
/// matches of a common word would take hundreds of milliseconds); an exact match must still come
/// first however many others contain the words, and every hit must match.
#[tokio::test]
async fn an_exact_match_comes_first_among_hundreds_of_substring_matches() {
    let app = TestApp::spawn().await;
    let admin = app.signup("排序测试").await;
    for i in 0..230 {
        app.add_account(&admin, json!({"name": format!("华南{i}号丰泽贸易商行")}))
            .await;
    }
    let exact = app
        .add_account(&admin, json!({"name": "丰泽有限公司"}))
        .await;
    let res = app
        .get(&format!("/api/v1/search?q={}", urlencode("丰泽")))
        .auth(&admin.token)
        .send()
        .await;
    assert_eq!(res.status, 200, "{res:?}");
    let hits = res.data();
    assert_eq!(hits.len(), 20, "a page of hits: {res:?}");
    assert_eq!(
        hits[0]["id"], exact["id"],
        "the company itself first: {res:?}"
    );
    assert_eq!(hits[0]["rank"], 0);
    assert!(hits[1..]
        .iter()
        .all(|h| h["rank"] == 2 && h["title"].as_str().is_some_and(|t| t.contains("丰泽"))));
    let lengths: Vec<usize> = hits[1..]
        .iter()
        .map(|h| h["title"].as_str().unwrap_or_default().chars().count())
        .collect();
    assert!(
        lengths.windows(2).all(|w| w[0] <= w[1]),
        "shorter titles first: {lengths:?}"
    );
}
