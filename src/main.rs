//! `kehu`: the one binary. `serve`, `migrate`, `seed`, `openapi`.

use std::net::TcpListener;
use std::process::ExitCode;

const USAGE: &str = "usage: kehu <command>

commands:
  serve     apply migrations and serve the API and web app (KEHU_BIND, default 127.0.0.1:8080);
            with KEHU_DEMO=1 an empty database first gets the demo organization
  migrate   apply pending migrations
  seed      load the demo organization into an empty database
  openapi   print the OpenAPI document (YAML)

environment: DATABASE_URL (required except for openapi), KEHU_* (see README)";

fn main() -> ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let command = std::env::args().nth(1).unwrap_or_default();
    let result = match command.as_str() {
        "openapi" => openapi(),
        "serve" | "migrate" | "seed" => {
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
    let state = api::state::AppState::new(settings)?;
    if command == "seed" || std::env::var("KEHU_DEMO").is_ok_and(|v| v == "1") {
        let mut conn = persistence::db::conn(&state.pool)
            .await
            .map_err(|e| e.to_string())?;
        if api::seed::demo_if_empty(&mut conn)
            .await
            .map_err(|e| e.to_string())?
        {
            log::info!("loaded the demo organization");
        }
    }
    if command == "seed" {
        return Ok(());
    }
    let bind = state.settings.bind.clone();
    let listener = TcpListener::bind(&bind).map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    let server = api::serve(state, listener).map_err(|e| e.to_string())?;
    println!(
        "\nKehu is running at http://{bind}/\n  sign in: {} / {}  (demo organization)\n  API docs: http://{bind}/docs\n",
        api::seed::DEMO_EMAIL,
        api::seed::DEMO_PASSWORD
    );
    server.await.map_err(|e| e.to_string())
}
