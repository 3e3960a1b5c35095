use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    managed_moves::cli::main().await
}
