//! Products (产品): categories are made in the tree editor, a product is created in a
//! subcategory through the form and found through the list filtered by category and through
//! global search; a code another product has is named on the code's field (409), a category's
//! move under its own subcategory is refused on the move's input (422 `cycle`), a stale change
//! reloads, and a category that still holds something is not deleted.

use crate::browser::Ui;
use serde_json::{json, Value};

/// The id of the category named `name`.
async fn category_id(ui: &Ui, name: &str) -> String {
    let tree = ui.api_get("/api/v1/product-categories").await;
    tree["data"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["name"] == name))
        .and_then(|c| c["id"].as_str())
        .unwrap_or_else(|| panic!("no category {name}: {tree}"))
        .to_string()
}

/// The codes of the products the list shows, in order.
async fn listed_codes(ui: &Ui) -> Value {
    ui.js(
        "return [...document.querySelectorAll('#products-table tbody tr')].map(r => r.dataset.code)",
        vec![],
    )
    .await
}

/// Waits until the list shows exactly `codes`.
async fn wait_listed(ui: &Ui, codes: &[&str]) {
    let expected = json!(codes);
    for _ in 0..200 {
        if listed_codes(ui).await == expected {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "the list shows {} instead of {expected}",
        listed_codes(ui).await
    );
}

#[tokio::test]
async fn a_product_is_created_in_a_category_and_found() {
    let Some(ui) = Ui::start().await else { return };
    // One product outside the category, which the category's list must leave out.
    ui.api_post(
        "/api/v1/products",
        json!({"code": "DRINK-01", "name": "凉茶"}),
    )
    .await;
    ui.sign_in().await;
    ui.click(".main-nav a[href='/products']").await;
    ui.wait_path("/products").await;
    ui.wait_text(".products-list h1", "产品").await;
    ui.click("#manage-categories").await;
    ui.wait_path("/products/categories").await;
    ui.find("#no-categories").await;

    // A category, and a subcategory under it.
    ui.fill("#f-name", "日化用品").await;
    ui.click("#add-category").await;
    ui.find("#category-tree li[data-name='日化用品'][data-depth='0']")
        .await;
    ui.click("li[data-name='日化用品'] .add-sub").await;
    ui.fill("#category-input", "香皂").await;
    ui.click("#category-save").await;
    ui.find("#category-tree li[data-name='香皂'][data-depth='1']")
        .await;
    ui.wait_gone("#category-editor").await;
    // The subcategory sits indented under its category.
    let indent = ui
        .js(
            "const left = n => document.querySelector(`li[data-name='${n}'] .category-name`).getBoundingClientRect().left; \
             return left('香皂') - left('日化用品')",
            vec![],
        )
        .await;
    assert!(indent.as_f64().is_some_and(|d| d > 10.0), "indent {indent}");
    ui.shot("product-categories").await;
    let (top, sub) = (
        category_id(&ui, "日化用品").await,
        category_id(&ui, "香皂").await,
    );
    let tree = ui.api_get("/api/v1/product-categories").await;
    assert_eq!(
        tree["data"][1]["parent_id"],
        json!(top),
        "the subcategory is under its category: {tree}"
    );

    // The product, through the form, in the subcategory.
    ui.click(".main-nav a[href='/products']").await;
    ui.click("#new-product").await;
    ui.wait_path("/products/new").await;
    ui.fill("#f-code", "FZ-SOAP-200").await;
    ui.fill("#f-name", "丰泽香皂").await;
    ui.select("#f-category_id", &sub).await;
    ui.fill("#f-spec", "200g×48块/箱").await;
    ui.fill("#f-model", "FZ-200").await;
    ui.fill("#f-unit", "箱").await;
    ui.fill("#f-unit_price", "368.50").await;
    ui.click("#save").await;
    let page = ui.wait_path("/products/0").await;
    let id = page.trim_start_matches("/products/").to_string();
    ui.wait_text("#record-title", "丰泽香皂").await;
    ui.wait_text("#product-code", "FZ-SOAP-200").await;
    ui.wait_text("#product-category", "日化用品 › 香皂").await;
    ui.wait_text(".prop[data-field='unit_price'] dd", "368.50")
        .await;
    ui.wait_text("#history", "创建").await;
    ui.shot("product-record").await;
    let saved = ui.api_get(&format!("/api/v1/products/{id}")).await;
    assert_eq!(
        (
            &saved["category_id"],
            &saved["spec"],
            &saved["unit"],
            &saved["unit_price"],
            &saved["active"]
        ),
        (
            &json!(sub),
            &json!("200g×48块/箱"),
            &json!("箱"),
            &json!({"amount": "368.50", "currency": "CNY"}),
            &json!(true)
        ),
        "{saved}"
    );

    // The list: everything, then the category (with its subcategory), then the subcategory.
    ui.click(".main-nav a[href='/products']").await;
    wait_listed(&ui, &["DRINK-01", "FZ-SOAP-200"]).await;
    ui.select("#filter-category", &top).await;
    ui.wait_path("/products?category_id").await;
    wait_listed(&ui, &["FZ-SOAP-200"]).await;
    ui.wait_text(
        "#products-table tr[data-code='FZ-SOAP-200'] .category",
        "日化用品 › 香皂",
    )
    .await;
    ui.wait_text("#list-total", "1").await;
    ui.shot("products-by-category").await;
    ui.select("#filter-category", &sub).await;
    wait_listed(&ui, &["FZ-SOAP-200"]).await;
    ui.wait_value("#filter-category", &sub).await;
    // The subcategory's row in the tree links to the same list.
    ui.goto("/products/categories").await;
    ui.click("li[data-name='香皂'] .view-products").await;
    wait_listed(&ui, &["FZ-SOAP-200"]).await;

    // Global search finds it by name and leads to its page.
    ui.fill("#global-search", "丰泽香皂\u{E007}").await;
    ui.wait_path("/search?q=").await;
    ui.wait_text(".result-group[data-entity='product']", "丰泽香皂")
        .await;
    ui.wait_text(".result-group[data-entity='product'] h2", "产品")
        .await;
    ui.shot("product-search").await;
    ui.click(".result-group[data-entity='product'] .hit a")
        .await;
    ui.wait_path(&format!("/products/{id}")).await;
    ui.wait_text("#record-title", "丰泽香皂").await;
    ui.finish().await;
}

#[tokio::test]
async fn a_taken_code_is_named_and_a_cycle_move_is_refused() {
    let Some(ui) = Ui::start().await else { return };
    let top = ui
        .api_post("/api/v1/product-categories", json!({"name": "日化用品"}))
        .await;
    let sub = ui
        .api_post(
            "/api/v1/product-categories",
            json!({"name": "香皂", "parent_id": top["id"]}),
        )
        .await;
    let soap = ui
        .api_post(
            "/api/v1/products",
            json!({"code": "FZ-01", "name": "丰泽香皂", "category_id": sub["id"]}),
        )
        .await;
    ui.sign_in().await;

    // A code another product has (in another case: codes compare without it) is named on the
    // code's field, with a link to the product that has it; nothing is created.
    ui.goto("/products/new").await;
    ui.fill("#f-code", "fz-01").await;
    ui.fill("#f-name", "另一块香皂").await;
    ui.click("#save").await;
    ui.wait_text(".field[data-field='code'] .field-error", "已被")
        .await;
    ui.wait_text(".field[data-field='code'] a.taken-by", "丰泽香皂")
        .await;
    ui.find(".field.invalid[data-field='code']").await;
    ui.shot("product-code-taken").await;
    assert_eq!(ui.app.total(&ui.admin, "products").await, 1);
    let href = ui
        .js(
            "return document.querySelector('a.taken-by').getAttribute('href')",
            vec![],
        )
        .await;
    assert_eq!(
        href,
        json!(format!(
            "/products/{}",
            soap["id"].as_str().unwrap_or_default()
        ))
    );
    // A 422 lands on its field; a free code then saves.
    ui.fill("#f-code", "FZ 02").await;
    ui.click("#save").await;
    ui.wait_text(".field[data-field='code'] .field-error", "不能含空格")
        .await;
    ui.fill("#f-code", "FZ-02").await;
    ui.click("#save").await;
    ui.wait_path("/products/0").await;
    ui.wait_text("#product-code", "FZ-02").await;

    // A stale edit of the product offers to reload.
    ui.goto(&format!(
        "/products/{}/edit",
        soap["id"].as_str().unwrap_or_default()
    ))
    .await;
    ui.wait_value("#f-code", "FZ-01").await;
    let res = ui
        .app
        .patch(&format!(
            "/api/v1/products/{}",
            soap["id"].as_str().unwrap_or_default()
        ))
        .auth(&ui.admin.token)
        .if_match("\"1\"")
        .json(&json!({"unit": "块"}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    ui.fill("#f-model", "FZ-100").await;
    ui.click("#save").await;
    ui.find("#stale-notice").await;
    ui.click("#reload-latest").await;
    ui.wait_value("#f-unit", "块").await;
    ui.wait_gone("#stale-notice").await;

    // Moving the category under its own subcategory is refused on the move's input.
    ui.goto("/products/categories").await;
    ui.click("li[data-name='日化用品'] .move").await;
    let sub_id = sub["id"].as_str().unwrap_or_default().to_string();
    ui.select("#move-target", &sub_id).await;
    ui.click("#category-save").await;
    ui.wait_text(
        "#category-editor .field[data-field='parent_id'] .field-error",
        "不能移到它自己或它的子分类之下",
    )
    .await;
    ui.find("#category-editor .field.invalid[data-field='parent_id']")
        .await;
    ui.shot("product-category-cycle").await;
    let tree = ui.api_get("/api/v1/product-categories").await;
    assert_eq!(tree["data"][0]["parent_id"], Value::Null, "{tree}");
    ui.click("#category-cancel").await;
    ui.wait_gone("#category-editor").await;

    // A stale rename reloads the tree; the next try saves.
    ui.click("li[data-name='香皂'] .rename").await;
    ui.wait_value("#category-input", "香皂").await;
    let res = ui
        .app
        .patch(&format!("/api/v1/product-categories/{sub_id}"))
        .auth(&ui.admin.token)
        .if_match("\"1\"")
        .json(&json!({"position": 5}))
        .send()
        .await;
    assert_eq!(res.status, 200, "{}", res.body);
    ui.fill("#category-input", "香皂类").await;
    ui.click("#category-save").await;
    ui.find("#categories-stale").await;
    ui.click("#category-save").await;
    ui.find("#category-tree li[data-name='香皂类']").await;
    ui.wait_gone("#category-editor").await;

    // A move to the top, then: the category that holds the products stays, the empty one goes.
    ui.click("li[data-name='香皂类'] .move").await;
    ui.select("#move-target", "").await;
    ui.click("#category-save").await;
    ui.find("#category-tree li[data-name='香皂类'][data-depth='0']")
        .await;
    ui.click("li[data-name='香皂类'] .delete").await;
    ui.wait_text("li[data-name='香皂类'] .delete", "确认").await;
    ui.click("li[data-name='香皂类'] .delete").await;
    ui.wait_text(
        "li[data-name='香皂类'] #category-not-empty",
        "请先把它们移走",
    )
    .await;
    ui.click("li[data-name='日化用品'] .delete").await;
    ui.click("li[data-name='日化用品'] .delete").await;
    ui.wait_gone("li[data-name='日化用品']").await;
    let tree = ui.api_get("/api/v1/product-categories").await;
    assert_eq!(tree["data"].as_array().map(Vec::len), Some(1), "{tree}");
    ui.finish().await;
}
