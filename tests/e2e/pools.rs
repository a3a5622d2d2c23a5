//! The customer pool (公海) in the SPA: an admin adds a pool from the settings (a missing limit is
//! refused on its input first), releases an account to it from the account's page (the owner
//! then reads 公海, the history says so) and assigns another to a member from the pool's page; a
//! sales user opens the pool from the header, is refused an account they released themselves
//! (the server's reason shows), claims the other with the quota counting it, and finds it among
//! their accounts, where one soon to return carries the badge.

use crate::browser::Ui;
use serde_json::{json, Value};
use testkit::Session;

/// An account of `class` owned by `owner`, made by the admin; its id.
async fn account(ui: &Ui, name: &str, class: &str, owner: &Session) -> String {
    let a = ui
        .app
        .add_account(
            &ui.admin,
            json!({"name": name, "class": class, "owner_id": owner.user_id}),
        )
        .await;
    a["id"].as_str().expect("account id").to_string()
}

/// Releases the account `id` to its owner's pool, as `who`.
async fn release(ui: &Ui, who: &Session, id: &str) {
    let res = ui
        .app
        .post(&format!("/api/v1/accounts/{id}/release"))
        .auth(&who.token)
        .json(&json!({"reason": "暂无需求"}))
        .send()
        .await;
    assert_eq!(res.status, 200, "release: {}", res.body);
}

async fn owner_of(ui: &Ui, id: &str) -> Value {
    ui.api_get(&format!("/api/v1/accounts/{id}")).await["owner_id"].clone()
}

#[tokio::test]
async fn an_admin_sets_up_a_pool_and_a_sales_user_claims_from_it() {
    let Some(ui) = Ui::start().await else { return };
    let sales = ui.app.add_user(&ui.admin, "sales", None).await;
    let other = ui.app.add_user(&ui.admin, "sales", None).await;

    // The pool, from the settings: whole organization, potential and target classes return.
    ui.sign_in().await;
    ui.goto("/admin/settings").await;
    ui.wait_text("#pools-panel", "公海设置").await;
    ui.click("#pools-link").await;
    ui.wait_path("/admin/pools").await;
    ui.wait_text("#no-pools", "还没有公海").await;
    ui.click("#new-pool").await;
    ui.wait_value("#f-daily_claims", "10").await;
    ui.wait_value("#f-reclaim_days", "30").await;
    ui.fill("#f-name", "公司公海").await;
    ui.fill("#f-idle-potential", "15").await;
    ui.fill("#f-idle-target", "5").await;
    ui.fill("#f-max_held", "20").await;
    // Emptied by keys (clearing an input sends no `input` event).
    ui.find("#f-daily_claims")
        .await
        .send_keys("\u{E003}\u{E003}")
        .await
        .expect("erase");
    ui.click("#save-pool").await;
    ui.wait_text(".field[data-field=daily_claims] .field-error", "必填")
        .await;
    ui.fill("#f-daily_claims", "5").await;
    ui.click("#save-pool").await;
    let row = "#pools-table tr.pool-row";
    ui.wait_text(row, "公司公海").await;
    ui.wait_text(&format!("{row} .department"), "全公司").await;
    ui.wait_text(
        &format!("{row} .rules li[data-class='target']"),
        "目标客户：未跟进天数 5",
    )
    .await;
    ui.wait_text(
        &format!("{row} .limits"),
        "每人每日可领取 5 · 每人最多持有 20",
    )
    .await;
    ui.shot("pools-settings").await;
    let pools = ui.api_get("/api/v1/account-pools").await;
    let pool = &pools["data"][0];
    assert_eq!(pool["daily_claims"], json!(5), "{pools}");
    assert_eq!(pool["max_held"], json!(20), "{pools}");
    assert_eq!(
        pool["rules"],
        json!([{"class": "potential", "idle_days": 15, "no_won_days": null},
               {"class": "target", "idle_days": 5, "no_won_days": null}]),
        "{pools}"
    );
    let pool_id = pool["id"].as_str().expect("pool id").to_string();

    // The accounts: one to release from its page, two the sales user released, one to return.
    let mine = account(&ui, "退回测试客户", "key", &ui.admin).await;
    let theirs = account(&ui, "自己退回的客户", "potential", &sales).await;
    let assigned = account(&ui, "分配测试客户", "potential", &sales).await;
    let soon = account(&ui, "快到期客户", "target", &sales).await;
    release(&ui, &sales, &theirs).await;
    release(&ui, &sales, &assigned).await;

    // Released from the account's page: asked once more, with a reason.
    ui.goto(&format!("/accounts/{mine}")).await;
    ui.wait_text("#record-title", "退回测试客户").await;
    ui.click("#release-account").await;
    ui.wait_text("#release-confirm", "公海成员可以领取").await;
    ui.fill("#release-reason", "客户暂无预算").await;
    ui.click("#confirm-release").await;
    ui.wait_text("#in-pool-notice", "该客户在公海「公司公海」中")
        .await;
    ui.wait_text(".prop[data-field='owner_id'] dd", "公海")
        .await;
    ui.wait_text("#history .history-entry[data-action='release']", "退回公海")
        .await;
    assert_eq!(ui.count("#release-account").await, 0);
    ui.shot("account-released").await;
    assert_eq!(owner_of(&ui, &mine).await, Value::Null);

    // Admins see pool accounts in the accounts list, owned by the pool.
    ui.goto("/accounts").await;
    ui.wait_text(
        &format!("#accounts-table tr[data-id='{theirs}'] td[data-column='owner_id']"),
        "公海",
    )
    .await;

    // Assigned from the pool's page (its address names it) to another member.
    ui.goto(&format!("/pools?pool_id={pool_id}")).await;
    let table = ".pools-page #accounts-table";
    ui.wait_text("#pool-name", "公司公海").await;
    ui.wait_text(table, "分配测试客户").await;
    ui.click(&format!(
        "{table} tr[data-id='{assigned}'] input.select-account"
    ))
    .await;
    ui.wait_text("#assign-selected", "分配所选（1）").await;
    ui.select("#assign-to", &other.user_id.to_string()).await;
    ui.click("#assign-selected").await;
    ui.wait_text("#taken-notice", "已分配 1 个客户").await;
    ui.wait_gone(&format!("{table} tr[data-id='{assigned}']"))
        .await;
    assert_eq!(owner_of(&ui, &assigned).await, json!(other.user_id));
    ui.click("#sign-out").await;
    ui.wait_path("/login").await;

    // The sales user: the pool from the header, with their quota.
    ui.sign_in_as(&sales).await;
    ui.click(".main-nav a[href='/pools']").await;
    ui.wait_path("/pools").await;
    ui.wait_text("#pool-quota", "今日已领取 0/5，持有 1/20")
        .await;
    ui.wait_text(table, "退回测试客户").await;
    ui.wait_text(table, "自己退回的客户").await;
    assert_eq!(ui.count("#assign-to").await, 0, "sales do not assign");
    ui.shot("pool-page").await;

    // Their own release comes back only after the pool's days: the server's reason shows.
    ui.click(&format!("{table} tr[data-id='{theirs}'] button.claim-one"))
        .await;
    ui.wait_text(".pools-page .notice.error", "after 30 days")
        .await;
    ui.find(&format!("{table} tr[data-id='{theirs}']")).await;

    // The other one, ticked and claimed: gone from the pool, counted, theirs.
    ui.click(&format!(
        "{table} tr[data-id='{mine}'] input.select-account"
    ))
    .await;
    ui.wait_text("#claim-selected", "领取所选（1）").await;
    ui.click("#claim-selected").await;
    ui.wait_text("#taken-notice", "已领取 1 个客户").await;
    ui.wait_gone(&format!("{table} tr[data-id='{mine}']")).await;
    ui.wait_text("#pool-quota", "今日已领取 1/5，持有 2/20")
        .await;
    ui.shot("pool-claimed").await;
    assert_eq!(owner_of(&ui, &mine).await, json!(sales.user_id));

    // Among their accounts; the one returning in five days has the badge.
    ui.click("#claimed-view").await;
    ui.wait_path("/accounts?owner_id=").await;
    ui.wait_text("#accounts-table", "退回测试客户").await;
    ui.wait_text(
        &format!("#accounts-table tr[data-id='{soon}'] .badge.recycle-soon"),
        "5 天后退回公海",
    )
    .await;
    assert_eq!(
        ui.count(&format!(
            "#accounts-table tr[data-id='{mine}'] .badge.recycle-soon"
        ))
        .await,
        0,
        "a key account never returns"
    );
    ui.shot("accounts-returning-badge").await;

    // The claimed one's page: the claim in its history; the other's: when it returns.
    ui.click(&format!("#accounts-table tr[data-id='{mine}'] td.name a"))
        .await;
    ui.wait_text("#history .history-entry[data-action='claim']", "从公海领取")
        .await;
    ui.wait_text("#record-title", "退回测试客户").await;
    assert_eq!(ui.count("#recycle-notice").await, 0);
    ui.goto(&format!("/accounts/{soon}")).await;
    ui.wait_text("#recycle-notice", "若不跟进，将于").await;
    ui.wait_text("#recycle-notice .badge", "5 天后退回公海")
        .await;
    ui.find("#release-account").await;
    ui.shot("account-returning").await;

    // In English.
    ui.click(".lang-switch button[data-locale='en']").await;
    ui.wait_text("#recycle-notice .badge", "Returns to the pool in 5 days")
        .await;
    ui.goto(&format!("/accounts/{mine}")).await;
    ui.wait_text(
        "#history .history-entry[data-action='claim']",
        "Taken from the pool",
    )
    .await;
    ui.goto("/pools").await;
    ui.wait_text("#pool-quota", "Claimed today 1/5, held 2/20")
        .await;
    ui.wait_text(".pools-page h1", "Customer pool").await;
    ui.shot("pool-page-english").await;
    ui.click(".lang-switch button[data-locale='zh-CN']").await;
    ui.finish().await;
}
