//! The `accord` binary: parse arguments, call the library, map errors to exit codes.

use std::io::IsTerminal;

fn main() {
    // On a terminal, messages wrap to its width; piped or captured, a message stays on its
    // lines, never broken in the middle of a path or a word.
    let terminal = std::io::stderr().is_terminal();
    let _ = miette::set_hook(Box::new(move |_| {
        let opts = miette::MietteHandlerOpts::new();
        let opts = if terminal {
            opts.break_words(false)
        } else {
            opts.wrap_lines(false)
        };
        Box::new(opts.build())
    }));
    if let Err(e) = accord::cli::main_with_args() {
        let code = e.exit_code();
        // Not `eprintln!`, which panics when stderr cannot be written (a full device): the
        // exit code still tells what happened.
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "{:?}", miette::Report::new(e));
        std::process::exit(code);
    }
}
