//! Configuration from `KEHU_*` environment variables, with defaults that suit a laptop.

use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub bind: String,
    /// HS256 secret for access tokens. Never logged.
    pub jwt_secret: Vec<u8>,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    pub signup_enabled: bool,
    /// The built SPA (`frontend/dist`); served at `/` when present.
    pub static_dir: PathBuf,
    /// Sign-in attempts allowed per account from one client address, per address, and per
    /// account from all addresses together, within `login_window` (see `ratelimit`).
    pub login_per_account: u32,
    pub login_per_address: u32,
    pub login_per_account_total: u32,
    pub login_window: Duration,
    /// Sign-ups allowed per client address within `signup_window`.
    pub signup_per_address: u32,
    pub signup_window: Duration,
    /// Threads that hash passwords, and how many hashes may wait for one (see `auth::hashing`).
    pub hash_threads: usize,
    pub hash_queue: usize,
    pub db_pool_size: usize,
    /// Statement, lock and pool-checkout limits of the server's database connections.
    pub db_limits: persistence::db::Limits,
    /// How long a client may take to send a request's headers, and then its body.
    pub http_read_timeout: Duration,
    /// How long an authenticated caller is remembered (see `principals`); zero turns it off.
    pub auth_cache_ttl: Duration,
    /// HTTP worker threads (each runs many requests concurrently).
    pub workers: usize,
    /// What webhook deliveries may reach, and whether this process sends them.
    pub webhooks: crate::webhooks::Policy,
    /// E-mail of notices (`KEHU_SMTP_URL`, `KEHU_MAIL_FROM`); none without an SMTP URL.
    pub mail: Option<crate::webhooks::mail::MailPolicy>,
    /// How long a claimed job may go without a progress report before another process takes
    /// it over (a process killed mid-job leaves it this long).
    pub job_lease: Duration,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn env_num<T: std::str::FromStr>(name: &str, default: T) -> Result<T, String> {
    match env(name) {
        Some(v) => v
            .parse()
            .map_err(|_| format!("{name} must be a number, got `{v}`")),
        None => Ok(default),
    }
}

/// A limit in milliseconds; 0 turns it off.
fn env_ms(name: &str, default: u64) -> Result<Option<Duration>, String> {
    let ms = env_num(name, default)?;
    Ok((ms > 0).then(|| Duration::from_millis(ms)))
}

impl Settings {
    /// Reads the environment. Without `KEHU_JWT_SECRET`, a random secret is generated once and
    /// kept in `<KEHU_DATA_DIR>/jwt-secret` (default `.data/`), so sessions survive restarts.
    pub fn from_env() -> Result<Self, String> {
        let database_url =
            env("DATABASE_URL").ok_or("DATABASE_URL is not set (make run sets it up)")?;
        let jwt_secret = match env("KEHU_JWT_SECRET") {
            Some(s) if s.len() >= 32 => s.into_bytes(),
            Some(_) => return Err("KEHU_JWT_SECRET must have at least 32 characters".into()),
            None => {
                let dir = PathBuf::from(env("KEHU_DATA_DIR").unwrap_or_else(|| ".data".into()));
                load_or_create_secret(&dir.join("jwt-secret"))?
            }
        };
        Ok(Settings {
            database_url,
            bind: env("KEHU_BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            jwt_secret,
            access_ttl: Duration::from_secs(env_num("KEHU_ACCESS_TTL_SECS", 900)?),
            refresh_ttl: Duration::from_secs(env_num("KEHU_REFRESH_TTL_SECS", 30 * 24 * 3600)?),
            signup_enabled: env("KEHU_SIGNUP").is_none_or(|v| v != "false" && v != "0"),
            static_dir: PathBuf::from(
                env("KEHU_STATIC_DIR").unwrap_or_else(|| "frontend/dist".into()),
            ),
            login_per_account: env_num("KEHU_LOGIN_PER_ACCOUNT", 10)?,
            login_per_address: env_num("KEHU_LOGIN_PER_ADDRESS", 50)?,
            login_per_account_total: env_num("KEHU_LOGIN_PER_ACCOUNT_TOTAL", 100)?,
            login_window: Duration::from_secs(env_num("KEHU_LOGIN_WINDOW_SECS", 300)?),
            signup_per_address: env_num("KEHU_SIGNUP_PER_ADDRESS", 5)?,
            signup_window: Duration::from_secs(env_num("KEHU_SIGNUP_WINDOW_SECS", 3600)?),
            // Half the cores: the other half keeps serving everything else during a sign-in rush.
            hash_threads: env_num(
                "KEHU_HASH_THREADS",
                std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1)),
            )?,
            hash_queue: env_num("KEHU_HASH_QUEUE", 32)?,
            auth_cache_ttl: Duration::from_secs(env_num("KEHU_AUTH_CACHE_SECS", 10)?),
            db_pool_size: env_num("KEHU_DB_POOL_SIZE", 16)?,
            db_limits: persistence::db::Limits {
                statement: env_ms("KEHU_DB_STATEMENT_TIMEOUT_MS", 10_000)?,
                lock: env_ms("KEHU_DB_LOCK_TIMEOUT_MS", 3_000)?,
                wait: env_ms("KEHU_DB_POOL_WAIT_MS", 2_000)?,
                connect: env_ms("KEHU_DB_CONNECT_TIMEOUT_MS", 2_000)?,
            },
            // No "off": a client must not hold a connection for as long as it likes.
            http_read_timeout: env_ms("KEHU_HTTP_READ_TIMEOUT_MS", 10_000)?
                .ok_or("KEHU_HTTP_READ_TIMEOUT_MS must be at least 1")?,
            workers: env_num(
                "KEHU_WORKERS",
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )?,
            job_lease: Duration::from_secs(env_num("KEHU_JOB_LEASE_SECS", 300)?.max(1)),
            webhooks: crate::webhooks::Policy {
                // Off by default: an endpoint must not reach the server's own network
                // (a metadata service, the database) unless the operator allows it.
                private_targets: env("KEHU_WEBHOOK_PRIVATE_TARGETS")
                    .is_some_and(|v| v == "true" || v == "1"),
                send: env("KEHU_WEBHOOK_SEND").is_none_or(|v| v != "false" && v != "0"),
                timeout: Duration::from_millis(env_num("KEHU_WEBHOOK_TIMEOUT_MS", 15_000)?.max(1)),
            },
            mail: env("KEHU_SMTP_URL").map(|smtp_url| crate::webhooks::mail::MailPolicy {
                smtp_url,
                from: env("KEHU_MAIL_FROM").unwrap_or_else(|| "Kehu <noreply@localhost>".into()),
            }),
        })
    }
}

fn load_or_create_secret(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use rand::RngCore;
    if let Ok(s) = std::fs::read(path) {
        if s.len() >= 32 {
            return Ok(s);
        }
    }
    let mut bytes = [0u8; 48];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = hex::encode(bytes).into_bytes();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    write_private(path, &secret).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(secret)
}

#[cfg(unix)]
fn write_private(path: &std::path::Path, data: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(data)
}

#[cfg(not(unix))]
fn write_private(path: &std::path::Path, data: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, data)
}
