//! The `accord` binary: parse arguments, call the library, map errors to exit codes.

use clap::Parser;

fn main() {
    let cli = accord::cli::Cli::parse();
    if let Err(e) = accord::cli::execute(cli) {
        let code = e.exit_code();
        eprintln!("{:?}", miette::Report::new(e));
        std::process::exit(code);
    }
}
