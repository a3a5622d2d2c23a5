//! Kehu's one data generator: the demo organization of `make run` (`demo`) and the benchmark
//! datasets of `kehu seed --scale small|medium|large`.
//!
//! * Deterministic: every generated row is a pure function of (seed, anchor day, organization,
//!   row index) — see [`rows`]. Organizations, departments, users and pipelines are created
//!   through the persistence functions the API uses (signup's code path), so their ids are fresh;
//!   everything generated refers to them by position.
//! * Indistinguishable from API writes: derived columns come from the domain's normalization.
//! * Fast: rows stream through `COPY … FROM STDIN (FORMAT binary)` while the next batch is being
//!   generated on another thread; for big tables the secondary indexes are dropped first and
//!   rebuilt once at the end (exactly as the migrations defined them), and foreign-key triggers
//!   are skipped when the connection may (the generator only writes consistent references).
//!
//! Adding a table: a row struct and a `Gen` method in [`rows`], and one [`Table`] entry in
//! [`load`].

pub mod catalogue;
pub mod load;
pub mod rng;
pub mod rows;
pub mod words;

use chrono::{DateTime, NaiveDate, Utc};

pub use load::{load, Report, DEMO_EMAIL, DEMO_PASSWORD};

/// Row counts of one organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    pub users: usize,
    pub accounts: u64,
    pub contacts: u64,
    pub leads: u64,
    pub opportunities: u64,
    pub activities: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// The demo organization of `make run`: a story to explore, not a load.
    Demo,
    Small,
    Medium,
    /// Issue 5's benchmark dataset: 1M contacts, 5M activities.
    Large,
}

impl Scale {
    pub const ALL: [Scale; 4] = [Scale::Demo, Scale::Small, Scale::Medium, Scale::Large];

    pub fn parse(s: &str) -> Option<Scale> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scale::Demo => "demo",
            Scale::Small => "small",
            Scale::Medium => "medium",
            Scale::Large => "large",
        }
    }

    /// The main organization, where the demo login works.
    pub fn main(self) -> Sizes {
        let s = |users, accounts, contacts, leads, opportunities, activities| Sizes {
            users,
            accounts,
            contacts,
            leads,
            opportunities,
            activities,
        };
        match self {
            Scale::Demo => s(30, 900, 2_400, 1_400, 1_200, 12_000),
            Scale::Small => s(20, 2_000, 10_000, 3_000, 5_000, 50_000),
            Scale::Medium => s(60, 20_000, 100_000, 30_000, 50_000, 500_000),
            Scale::Large => s(200, 200_000, 1_000_000, 300_000, 500_000, 5_000_000),
        }
    }

    /// How many small organizations sit beside the main one (so tenancy filters have work).
    pub fn tenants(self) -> u64 {
        match self {
            Scale::Demo => 0,
            Scale::Small => 5,
            Scale::Medium => 20,
            Scale::Large => 50,
        }
    }

    pub fn tenant() -> Sizes {
        Sizes {
            users: 5,
            accounts: 200,
            contacts: 600,
            leads: 150,
            opportunities: 250,
            activities: 2_000,
        }
    }

    /// How far back the generated history reaches.
    pub fn history_days(self) -> i64 {
        match self {
            Scale::Demo => 365,
            _ => 3 * 365,
        }
    }
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    pub scale: Scale,
    pub seed: u64,
    /// "Now" of the data (start of a UTC day): forecasts and timelines are relative to it.
    pub anchor: DateTime<Utc>,
}

pub const DEFAULT_SEED: u64 = 20261123;

impl Options {
    /// Today (UTC) as the anchor: the demo is always current. Same day, same data.
    pub fn new(scale: Scale, seed: u64) -> Options {
        Options::at(scale, seed, Utc::now().date_naive())
    }

    pub fn at(scale: Scale, seed: u64, day: NaiveDate) -> Options {
        Options {
            scale,
            seed,
            anchor: day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc(),
        }
    }
}

/// Why a load failed.
#[derive(Debug)]
pub struct Error(pub String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl From<String> for Error {
    fn from(s: String) -> Self {
        Error(s)
    }
}

impl From<&str> for Error {
    fn from(s: &str) -> Self {
        Error(s.to_string())
    }
}

impl From<diesel::result::Error> for Error {
    fn from(e: diesel::result::Error) -> Self {
        Error(e.to_string())
    }
}

impl From<diesel::ConnectionError> for Error {
    fn from(e: diesel::ConnectionError) -> Self {
        Error(e.to_string())
    }
}

impl From<persistence::StoreError> for Error {
    fn from(e: persistence::StoreError) -> Self {
        Error(format!("{e:?}"))
    }
}
