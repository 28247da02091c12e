//! The `accord` binary: parse arguments, call the library, map errors to exit codes.

fn main() {
    if let Err(e) = accord::cli::main_with_args() {
        let code = e.exit_code();
        eprintln!("{:?}", miette::Report::new(e));
        std::process::exit(code);
    }
}
