use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    managed_moves::supervise::keep_panic_messages_out_of_logs();
    managed_moves::cli::main().await
}
