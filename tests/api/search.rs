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
