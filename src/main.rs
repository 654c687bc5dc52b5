use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cscx::cli::Cli::parse();
    match cscx::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cscx: {}", cscx::commands::error_text(&e));
            ExitCode::from(cscx::commands::exit_code(&e))
        }
    }
}
