//! The pipeline board: drag a card to another stage; won asks for the reason.

use crate::browser::Ui;
use serde_json::{json, Value};

#[tokio::test]
async fn dragging_a_card_moves_the_deal_and_winning_asks_why() {
    let Some(ui) = Ui::start().await else { return };
    let account = ui
        .app
        .add_account(&ui.admin, json!({"name": "看板测试客户"}))
        .await;
    let deal = ui
        .api_post(
            "/api/v1/opportunities",
            json!({"name": "看板商机", "account_id": account["id"],
                   "amount": {"amount": "88000.00", "currency": "CNY"}}),
        )
        .await;
    let pipelines = ui.api_get("/api/v1/pipelines").await;
    let stages: Vec<Value> = pipelines["data"][0]["stages"]
        .as_array()
        .expect("stages")
        .clone();
    let stage = |n: usize| stages[n]["id"].as_str().expect("stage id").to_string();
    let deal_id = deal["id"].as_str().expect("deal id").to_string();
    assert_eq!(deal["stage_id"], stage(0));

    ui.sign_in().await;
    ui.goto("/pipeline").await;
    let card = format!(".deal-card[data-id='{deal_id}']");
    ui.find(&format!(".column[data-stage='{}'] {card}", stage(0)))
        .await;
    ui.wait_text(
        &format!(".column[data-stage='{}'] .sum", stage(0)),
        "88,000.00",
    )
    .await;
    ui.shot("pipeline-board").await;

    // Drag (HTML drag and drop events, as the browser fires them) to the second stage.
    ui.js(
        r#"const [card, column] = [document.querySelector(arguments[0]), document.querySelector(arguments[1])];
           const dt = new DataTransfer();
           card.dispatchEvent(new DragEvent('dragstart', {bubbles: true, dataTransfer: dt}));
           column.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true, dataTransfer: dt}));
           column.dispatchEvent(new DragEvent('drop', {bubbles: true, cancelable: true, dataTransfer: dt}));
           card.dispatchEvent(new DragEvent('dragend', {bubbles: true, dataTransfer: dt}));"#,
        vec![json!(card), json!(format!(".column[data-stage='{}']", stage(1)))],
    )
    .await;
    ui.find(&format!(".column[data-stage='{}'] {card}", stage(1)))
        .await;
    let moved = ui
        .api_get(&format!("/api/v1/opportunities/{deal_id}"))
        .await;
    assert_eq!(moved["stage_id"], stage(1), "moved on the server: {moved}");

    // Won (picked on the card, as on a phone) asks for the reason first.
    let won = stages
        .iter()
        .find(|s| s["kind"] == "won")
        .and_then(|s| s["id"].as_str())
        .expect("a won stage")
        .to_string();
    ui.select(&format!("{card} .move-select"), &won).await;
    ui.click("#confirm-move").await;
    ui.find("#reason-dialog .field-error").await;
    ui.fill("#move-reason", "价格优势，客户已签署采购意向")
        .await;
    ui.shot("pipeline-won-reason").await;
    ui.click("#confirm-move").await;
    ui.wait_gone("#reason-dialog").await;
    ui.find(&format!(".column[data-stage='{won}'] {card}"))
        .await;
    let closed = ui
        .api_get(&format!("/api/v1/opportunities/{deal_id}"))
        .await;
    assert_eq!(closed["status"], "won");
    assert_eq!(closed["close_reason"], "价格优势，客户已签署采购意向");

    // The record page shows the stage changes.
    ui.goto(&format!("/opportunities/{deal_id}")).await;
    ui.wait_text("#stage-history", "赢单").await;
    ui.wait_text("#deal-reason", "价格优势").await;
    ui.finish().await;
}
