//! `kehu`: the one binary. `serve`, `migrate`, `reindex`, `seed`, `plans`, `sql`, `openapi`.

mod seed;

use std::net::TcpListener;
use std::process::ExitCode;

const USAGE: &str = "usage: kehu <command>

commands:
  serve     apply migrations and serve the API and web app (KEHU_BIND, default 127.0.0.1:8080);
            with KEHU_DEMO=1 an empty database first gets the demo organization
  migrate   apply pending migrations
  reindex   apply migrations, then recompute the search text they ask for (serve does it too,
            in the background)
  seed      load the demo organization into an empty database; with
            --scale demo|small|medium|large [--seed N] [--anchor YYYY-MM-DD] load that
            generated dataset instead (large: 1M contacts, 5M activities; see BENCHMARKS.md)
  plans     EXPLAIN every list sort, quick and global search, timeline and forecast query as
            a user (--as EMAIL, default the demo admin) would run them; fails on a sequential
            scan of a big table (make bench runs it on the large dataset)
  sql       [--as EMAIL] PATH?QUERY: the statements the API runs for a list, /search or
            /forecast request, values inlined (make bench gives them to pgbench)
  openapi   print the OpenAPI document (YAML)

environment: DATABASE_URL (required except for openapi), KEHU_* (see README)";

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let command = std::env::args().nth(1).unwrap_or_default();
    let result = match command.as_str() {
        "openapi" => openapi(),
        "serve" | "migrate" | "reindex" | "seed" | "plans" | "sql" => {
            runtime().and_then(|rt| rt.block_on(with_database(&command)))
        }
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown command `{command}`\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kehu: {e}");
            ExitCode::FAILURE
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
}

/// `seed --scale S [--seed N] [--anchor YYYY-MM-DD]`; `None` without `--scale` (the demo, if empty).
fn seed_options() -> Result<Option<datagen::Options>, String> {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let mut scale = None;
    let mut seed = datagen::DEFAULT_SEED;
    let mut anchor = None;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value\n\n{USAGE}"))?;
        match flag.as_str() {
            "--scale" => {
                scale = Some(datagen::Scale::parse(value).ok_or_else(|| {
                    format!("--scale: `{value}` is not demo, small, medium or large")
                })?)
            }
            "--seed" => {
                seed = value
                    .parse()
                    .map_err(|_| format!("--seed: `{value}` is not a number"))?
            }
            "--anchor" => {
                anchor = Some(
                    chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d")
                        .map_err(|_| format!("--anchor: `{value}` is not YYYY-MM-DD"))?,
                )
            }
            _ => return Err(format!("unknown option `{flag}`\n\n{USAGE}")),
        }
    }
    Ok(scale.map(|scale| match anchor {
        Some(day) => datagen::Options::at(scale, seed, day),
        None => datagen::Options::new(scale, seed),
    }))
}

/// `--as EMAIL` (default the demo admin), then the remaining arguments.
fn as_user(args: &[String]) -> (String, &[String]) {
    match args {
        [flag, email, rest @ ..] if flag == "--as" => (email.clone(), rest),
        _ => (datagen::DEMO_EMAIL.to_string(), args),
    }
}

/// A connection and the scope `email` has, as the API would compute it.
async fn caller(
    database_url: &str,
    email: &str,
) -> Result<(persistence::db::PooledConn, persistence::Scope), String> {
    let pool = persistence::db::pool(database_url, 1)?;
    let mut conn = persistence::db::conn(&pool)
        .await
        .map_err(|e| e.to_string())?;
    let (user_id, ..) = persistence::users::find_for_login(&mut conn, email)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no user {email}"))?;
    let (_, _, scope) = persistence::users::principal(&mut conn, user_id)
        .await
        .map_err(|e| e.to_string())?;
    Ok((conn, scope))
}

/// `plans [--as EMAIL]`: prints each query's plan; an error if any reads a big table sequentially.
async fn plans(database_url: &str) -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let (email, rest) = as_user(&args);
    if !rest.is_empty() {
        return Err(format!("plans takes only --as EMAIL\n\n{USAGE}"));
    }
    let (mut conn, scope) = caller(database_url, &email).await?;
    let plans = persistence::plans::explain_all(&mut conn, &scope)
        .await
        .map_err(|e| e.to_string())?;
    let mut scans = Vec::new();
    for p in &plans {
        println!("## {}\n{}\n", p.request, p.plan);
        if let Some(table) = p.seq_scan() {
            scans.push(format!("{} reads {table} sequentially", p.request));
        }
    }
    if scans.is_empty() {
        println!("{} queries, no sequential scan of a big table", plans.len());
        Ok(())
    } else {
        Err(scans.join("\n"))
    }
}

/// `sql [--as EMAIL] PATH?QUERY` (unencoded): the statements the API runs for that request, one
/// per line with values inlined.
async fn sql(database_url: &str) -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(2).collect();
    let (email, rest) = as_user(&args);
    let [request] = rest else {
        return Err(format!(
            "sql takes one request, e.g. '/contacts?q=王芳'\n\n{USAGE}"
        ));
    };
    let (path, query) = request.split_once('?').unwrap_or((request.as_str(), ""));
    let pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (k.to_string(), v.to_string())
        })
        .collect();
    let (mut conn, scope) = caller(database_url, &email).await?;
    for statement in persistence::plans::statements(&mut conn, &scope, path, &pairs)
        .await
        .map_err(|e| format!("{e:?}"))?
    {
        println!("{};", statement.inline());
    }
    Ok(())
}

/// Recomputes the search text of the tables a migration listed, on a connection of its own
/// (without the request limits: a batch may take longer than a request).
async fn reindex(database_url: &str) -> Result<(), String> {
    let pool = persistence::db::pool(database_url, 1)?;
    let mut conn = persistence::db::conn(&pool)
        .await
        .map_err(|e| e.to_string())?;
    if !persistence::reindex::pending(&mut conn)
        .await
        .map_err(|e| e.to_string())?
    {
        return Ok(());
    }
    log::info!("recomputing the search text of existing records");
    let started = std::time::Instant::now();
    let report = persistence::reindex::run(&mut conn)
        .await
        .map_err(|e| e.to_string())?;
    log::info!(
        "recomputed the search text of {} records ({} changed) in {:.1} s",
        report.read,
        report.written,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn openapi() -> Result<(), String> {
    let yaml = serde_yaml::to_string(&api::openapi::document()).map_err(|e| e.to_string())?;
    print!("{yaml}");
    Ok(())
}

async fn with_database(command: &str) -> Result<(), String> {
    let settings = api::settings::Settings::from_env()?;
    let applied = persistence::db::migrate(&settings.database_url).await?;
    if !applied.is_empty() {
        log::info!("applied migrations: {}", applied.join(", "));
    }
    if command == "migrate" {
        return Ok(());
    }
    if command == "reindex" {
        return reindex(&settings.database_url).await;
    }
    if command == "plans" {
        return plans(&settings.database_url).await;
    }
    if command == "sql" {
        return sql(&settings.database_url).await;
    }
    if command == "seed" {
        if let Some(opts) = seed_options()? {
            let report = seed::load(&settings.database_url, &opts).await?;
            println!(
                "seeded scale {} (seed {}, anchor {}): {} organizations, {} users, {} rows in {:.1} s ({:.0} rows/s){}",
                opts.scale.as_str(),
                opts.seed,
                opts.anchor.date_naive(),
                report.organizations,
                report.users,
                report.rows(),
                report.seconds,
                report.rows() as f64 / report.seconds.max(1e-9),
                if report.triggers_skipped { "" } else { "; foreign-key triggers ran (not a superuser)" }
            );
            for (table, rows, secs) in &report.tables {
                println!("  {table:<14} {rows:>9} rows  {secs:>6.1} s");
            }
            return Ok(());
        }
    }
    let state = api::state::AppState::new(settings)?;
    if command == "seed" || std::env::var("KEHU_DEMO").is_ok_and(|v| v == "1") {
        let mut conn = persistence::db::conn(&state.pool)
            .await
            .map_err(|e| e.to_string())?;
        if seed::demo_if_empty(&mut conn, &state.settings.database_url).await? {
            log::info!("loaded the demo organization");
        }
    }
    if command == "seed" {
        return Ok(());
    }
    // Rows written before a change of the search text's rules get the new text while serving,
    // and custom fields their indexes (a build cut short by a stop is redone).
    if let Err(e) = api::maintenance::schedule(&state.pool).await {
        log::error!("scheduling the platform's jobs: {e}");
    }
    api::maintenance::start(&state.jobs, &state.pool);
    // Deliveries left pending by the last run (or queued by other processes) go out now.
    state.webhooks.wake();
    let bind = state.settings.bind.clone();
    let listener = TcpListener::bind(&bind).map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    let server = api::serve(state, listener).map_err(|e| e.to_string())?;
    println!(
        "\nKehu is running at http://{bind}/\n  sign in: {} / {}  (demo organization)\n  API docs: http://{bind}/docs\n",
        datagen::DEMO_EMAIL,
        datagen::DEMO_PASSWORD
    );
    server.await.map_err(|e| e.to_string())
}
