//! The `gort-trace` binary: parse the command line, run the pipeline, exit with the tracee's status.

use gort_trace::{cli, pipeline};

fn main() {
    std::panic::set_hook(Box::new(|info| {
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        eprintln!("gort-trace: internal error: {msg}");
    }));
    let cfg = match cli::parse(std::env::args_os()) {
        Ok(c) => c,
        Err(e) => {
            if e.is_info {
                print!("{}", e.message);
            } else {
                eprintln!("gort-trace: {}", e.message);
            }
            std::process::exit(e.code);
        }
    };
    match pipeline::run(cfg) {
        Ok(code) => std::process::exit(code),
        Err(m) => {
            eprintln!("gort-trace: {m}");
            std::process::exit(1);
        }
    }
}
