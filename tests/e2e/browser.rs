//! The browser side of the end-to-end tests: a real `kehu` server (testkit, its own database)
//! serving `frontend/dist`, driven through chromedriver and headless Debian Chromium.
//!
//! When chromium, chromedriver or the built app is missing, [`Ui::start`] fails the test if
//! `KEHU_NEED_BROWSER=1` (as `make test` sets) and otherwise prints why and returns `None`, so a
//! plain `cargo test` on a machine without a browser still passes the other tests.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};
use testkit::{Session, TestApp};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// How long a page may take to show what a step waits for.
const PATIENCE: Duration = Duration::from_secs(20);
/// Browsers running at once: each is a few processes, and the machine may have two cores.
const MAX_BROWSERS: usize = 2;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn dist() -> PathBuf {
    root().join("frontend/dist")
}

/// Where screenshots go: `target/screenshots/NAME.png`.
pub fn screenshot_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
        .join("screenshots")
}

/// What is missing for browser tests, if anything.
fn missing() -> Option<String> {
    let mut gaps = Vec::new();
    for (path, what) in [(CHROMIUM, "chromium"), (CHROMEDRIVER, "chromedriver")] {
        if !Path::new(path).exists() {
            gaps.push(format!(
                "{what} ({path}; apt-get install chromium chromium-driver)"
            ));
        }
    }
    if !dist().join("index.html").exists() {
        gaps.push("the built app (frontend/dist; run scripts/build-frontend.sh)".into());
    }
    (!gaps.is_empty()).then(|| gaps.join(", "))
}

/// A counting semaphore over threads (each test has its own runtime).
struct Slots {
    used: Mutex<usize>,
    freed: Condvar,
}

static SLOTS: Slots = Slots {
    used: Mutex::new(0),
    freed: Condvar::new(),
};

struct Slot;

impl Slot {
    async fn take() -> Slot {
        tokio::task::spawn_blocking(|| {
            let mut used = SLOTS.used.lock().unwrap_or_else(|e| e.into_inner());
            while *used >= MAX_BROWSERS {
                used = SLOTS.freed.wait(used).unwrap_or_else(|e| e.into_inner());
            }
            *used += 1;
        })
        .await
        .expect("wait for a browser slot");
        Slot
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut used = SLOTS.used.lock().unwrap_or_else(|e| e.into_inner());
        *used -= 1;
        SLOTS.freed.notify_one();
    }
}

/// chromedriver in its own process group, so the browsers it starts end with it.
struct Driver {
    child: Child,
    profile: PathBuf,
}

impl Driver {
    fn start() -> (Driver, u16) {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let profile = std::env::temp_dir().join(format!("kehu-e2e-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&profile).expect("profile directory");
        let child = {
            use std::os::unix::process::CommandExt;
            Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .expect("start chromedriver")
        };
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        (Driver { child, profile }, port)
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole group: chromedriver and the Chromium processes it started.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// A signed-in-able browser on a fresh organization.
pub struct Ui {
    pub app: TestApp,
    /// The organization's admin (created through the API; signs in through the UI).
    pub admin: Session,
    pub c: Client,
    _driver: Driver,
    _slot: Slot,
}

impl Ui {
    /// A server with a new organization and a browser; `None` (after a notice) when no browser
    /// is available and none is required.
    pub async fn start() -> Option<Ui> {
        if let Some(gap) = missing() {
            if std::env::var("KEHU_NEED_BROWSER").as_deref() == Ok("1") {
                panic!("KEHU_NEED_BROWSER=1 but browser tests cannot run: missing {gap}");
            }
            eprintln!("e2e: skipped, missing {gap} (KEHU_NEED_BROWSER=1 makes this a failure)");
            return None;
        }
        let slot = Slot::take().await;
        let app = TestApp::spawn_with(|s| s.static_dir = dist()).await;
        let admin = app.signup("端到端测试公司").await;
        let (driver, port) = Driver::start();
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--window-size=1280,900",
            "--lang=zh-CN",
        ]
        .map(String::from)
        .into_iter()
        .chain([format!("--user-data-dir={}", driver.profile.display())])
        .collect::<Vec<_>>();
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            json!({"binary": CHROMIUM, "args": args}),
        );
        let c = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session with headless Chromium");
        Some(Ui {
            app,
            admin,
            c,
            _driver: driver,
            _slot: slot,
        })
    }

    /// Ends the browser session (the driver's process group is killed on drop either way).
    pub async fn finish(self) {
        let Ui { c, .. } = self;
        let _ = c.close().await;
    }

    pub async fn goto(&self, path: &str) {
        self.c
            .goto(&self.app.url(path))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
    }

    /// The element, once it is there.
    pub async fn find(&self, css: &str) -> Element {
        match self
            .c
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(e) => e,
            Err(e) => self.fail(&format!("no `{css}`: {e}")).await,
        }
    }

    pub async fn count(&self, css: &str) -> usize {
        self.c
            .find_all(Locator::Css(css))
            .await
            .map(|v| v.len())
            .unwrap_or(0)
    }

    pub async fn click(&self, css: &str) {
        let el = self.find(css).await;
        if let Err(e) = el.click().await {
            self.fail(&format!("click `{css}`: {e}")).await
        }
    }

    /// Types into an input after clearing it.
    pub async fn fill(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        el.clear()
            .await
            .unwrap_or_else(|e| panic!("clear {css}: {e}"));
        el.send_keys(text)
            .await
            .unwrap_or_else(|e| panic!("type into {css}: {e}"));
    }

    /// Chooses an option, once the select offers it (options may arrive with data).
    pub async fn select(&self, css: &str, value: &str) {
        self.find(&format!("{css} option[value='{value}']")).await;
        let el = self.find(css).await;
        if let Err(e) = el.select_by_value(value).await {
            self.fail(&format!("select {value} in `{css}`: {e}")).await
        }
    }

    /// Waits until the element's text contains `needle`; returns the text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        let mut last = String::new();
        loop {
            if let Ok(el) = self.c.find(Locator::Css(css)).await {
                last = el.text().await.unwrap_or_default();
                if last.contains(needle) {
                    return last;
                }
            }
            if Instant::now() > deadline {
                self.fail(&format!(
                    "`{css}` never contained {needle:?}; last: {last:?}"
                ))
                .await
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the input's value is `expected` (values are not text: `wait_text` misses them).
    pub async fn wait_value(&self, css: &str, expected: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let last = self
                .js(
                    "const el = document.querySelector(arguments[0]); return el ? el.value : null",
                    vec![json!(css)],
                )
                .await;
            if last == json!(expected) {
                return;
            }
            if Instant::now() > deadline {
                self.fail(&format!(
                    "`{css}` never had the value {expected:?}; last: {last}"
                ))
                .await
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the browser's path (and query) starts with `prefix`; returns it.
    pub async fn wait_path(&self, prefix: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let url = self.c.current_url().await.expect("current url");
            let here = match url.query() {
                Some(q) => format!("{}?{q}", url.path()),
                None => url.path().to_string(),
            };
            if here.starts_with(prefix) {
                return here;
            }
            if Instant::now() > deadline {
                self.fail(&format!("never reached {prefix}; at {here}"))
                    .await
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until nothing matches `css`.
    pub async fn wait_gone(&self, css: &str) {
        let deadline = Instant::now() + PATIENCE;
        while self.count(css).await > 0 {
            if Instant::now() > deadline {
                self.fail(&format!("`{css}` is still there")).await
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn js(&self, script: &str, args: Vec<Value>) -> Value {
        self.c
            .execute(script, args)
            .await
            .unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Saves a screenshot as `target/screenshots/NAME.png`.
    pub async fn shot(&self, name: &str) {
        let png = self.c.screenshot().await.expect("screenshot");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("screenshot directory");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }

    /// Fails with the page's address and text, and a screenshot `failed-….png` to look at.
    async fn fail(&self, what: &str) -> ! {
        let url = self
            .c
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let body = match self.c.find(Locator::Css("body")).await {
            Ok(b) => b.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        let name = format!("failed-{}", uuid::Uuid::now_v7().simple());
        self.shot(&name).await;
        panic!("{what}\nat {url} (screenshot {name}.png)\npage text:\n{body}");
    }

    /// Signs in as the admin through the sign-in page and waits for the app.
    pub async fn sign_in(&self) {
        self.sign_in_as(&self.admin).await;
    }

    /// Signs in as `who` (e.g. a user made with `app.add_user`) through the sign-in page.
    pub async fn sign_in_as(&self, who: &Session) {
        self.goto("/login").await;
        self.fill("#login-email", &who.email).await;
        self.fill("#login-password", testkit::PASSWORD).await;
        self.click("#login-submit").await;
        self.find("#sign-out").await;
    }

    /// A JSON call to the API as the admin.
    pub async fn api_get(&self, path: &str) -> Value {
        let res = self.app.get(path).auth(&self.admin.token).send().await;
        assert_eq!(res.status, 200, "GET {path}: {}", res.body);
        res.body
    }

    pub async fn api_post(&self, path: &str, body: Value) -> Value {
        let res = self
            .app
            .post(path)
            .auth(&self.admin.token)
            .json(&body)
            .send()
            .await;
        assert!(
            res.status == 200 || res.status == 201,
            "POST {path}: {}",
            res.body
        );
        res.body
    }
}
