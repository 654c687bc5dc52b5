use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cscx::cli::Cli::parse();
    match cscx::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("cscx: {e:#}");
            ExitCode::from(cscx::commands::exit_code(&e))
        }
    }
}
