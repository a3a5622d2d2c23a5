//! A sign-in flood: passwords are hashed on a small bounded pool, off the request workers, so
//! everything else stays served while sign-ins queue or are told to come back (429).

use serde_json::json;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use testkit::{Session, TestApp, PASSWORD};

/// The median time of `n` reads of an account list, one after the other.
async fn median_read(app: &TestApp, who: &Session, n: usize) -> Duration {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        let res = app
            .get("/api/v1/accounts?limit=5")
            .auth(&who.token)
            .send()
            .await;
        assert_eq!(res.status, 200, "{res:?}");
        times.push(started.elapsed());
    }
    times.sort();
    times[n / 2]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sign_in_flood_leaves_other_requests_served() {
    let app = Arc::new(
        TestApp::spawn_with(|s| {
            s.workers = 2;
            s.hash_threads = 1;
            s.hash_queue = 4;
            // The hashing pool is what is tested here, not the sign-in limits.
            s.login_per_account = 1_000_000;
            s.login_per_address = 1_000_000;
            s.login_per_account_total = 1_000_000;
        })
        .await,
    );
    let admin = app.signup("A").await;
    app.add_account(&admin, json!({"name": "丰泽日用品"})).await;
    let baseline = median_read(&app, &admin, 40).await;

    let stop = Arc::new(AtomicBool::new(false));
    let (signed_in, refused) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let mut flood = Vec::new();
    for n in 0..16 {
        let (app, stop) = (app.clone(), stop.clone());
        let (signed_in, refused) = (signed_in.clone(), refused.clone());
        let email = admin.email.clone();
        flood.push(tokio::spawn(async move {
            // Bounded in count and time, whatever happens to the reader.
            let until = Instant::now() + Duration::from_secs(60);
            for _ in 0..2_000 {
                if stop.load(Ordering::Relaxed) || Instant::now() > until {
                    break;
                }
                let password = if n % 2 == 0 {
                    PASSWORD
                } else {
                    "wrong-password"
                };
                let res = app
                    .post("/api/v1/auth/login")
                    .json(&json!({"email": email, "password": password}))
                    .send()
                    .await;
                match res.status {
                    200 | 401 => signed_in.fetch_add(1, Ordering::Relaxed),
                    429 => {
                        assert!(res.header("retry-after").is_some(), "{res:?}");
                        // Back at once, not after Retry-After, but not spinning the test's CPU.
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        refused.fetch_add(1, Ordering::Relaxed)
                    }
                    other => panic!("sign-in under a flood answered {other}: {res:?}"),
                };
            }
        }));
    }
    // Let the flood fill the pool and its queue.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let flooded = median_read(&app, &admin, 40).await;
    stop.store(true, Ordering::Relaxed);
    for f in flood {
        f.await.expect("a flooding client");
    }
    eprintln!(
        "reads: {baseline:?} alone, {flooded:?} during the flood; sign-ins checked {}, refused {}",
        signed_in.load(Ordering::Relaxed),
        refused.load(Ordering::Relaxed)
    );
    assert!(
        signed_in.load(Ordering::Relaxed) > 0,
        "sign-ins still go through"
    );
    assert!(
        refused.load(Ordering::Relaxed) > 0,
        "16 clients overflow one thread and a queue of 4: the overflow is refused, not queued"
    );
    // Relative to the same test's baseline, with a floor so a baseline of a millisecond on a
    // busy machine does not make noise a failure (hashing on the workers gave 171 ms here).
    let bound = (baseline * 20).max(Duration::from_millis(60));
    assert!(
        flooded <= bound,
        "reads stay served: median {flooded:?} during the flood, {baseline:?} without"
    );
}
