use testkit::TestApp;

#[tokio::test]
async fn health_and_ready_answer() {
    let app = TestApp::spawn().await;
    let res = app.get("/health").send().await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body["status"], "ok");
    let res = app.get("/ready").send().await;
    assert_eq!(res.status, 200);
    assert_eq!(res.body["status"], "ready");
}
