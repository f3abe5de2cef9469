//! `-P PATH`: only the syscalls that name one of the given paths, directly (a path argument) or through
//! a descriptor that refers to it (a descriptor argument, or the directory descriptor of an `*at` call).
//!
//! Design: the decision needs tracee memory (path strings) and `/proc` (descriptor paths), so it is made
//! by the tracer at the syscall's entry, through the same [`ReadMem`] the decoder uses; the argument
//! kinds come from the per-syscall table, so every decoded syscall takes part without a list of its own.

use super::spec::{self, Arg};
use super::{read_cstr, Fetched, ReadMem};

/// Whether syscall `nr` with arguments `args` names one of `paths`.
pub fn matches(nr: u64, args: &[u64; 6], paths: &[Vec<u8>], mem: &mut dyn ReadMem) -> bool {
    // Descriptors held in tracee memory (descriptor sets, `struct pollfd`s).
    if let Some(fds) =
        syscalls::Sysno::new(nr as usize).and_then(|s| super::select::descriptors(s, args, mem))
    {
        return fds.into_iter().any(|fd| {
            mem.fd_path(fd, super::FdKinds::PATH)
                .is_some_and(|info| paths.contains(&info.path))
        });
    }
    let spec = spec::spec(nr, args);
    for (i, arg) in spec.args().iter().enumerate() {
        let hit = match arg {
            Arg::Path => match read_cstr(mem, args[i], 4096) {
                Fetched::Str { bytes, .. } => paths.contains(&bytes),
                _ => false,
            },
            Arg::Fd | Arg::DirFd if args[i] as i32 >= 0 => mem
                .fd_path(args[i] as i32, super::FdKinds::PATH)
                .is_some_and(|info| paths.contains(&info.path)),
            _ => false,
        };
        if hit {
            return true;
        }
    }
    false
}

/// The paths `-P PATH` selects: the path as given and, when it differs, its canonical form.
pub fn selected(given: &[std::path::PathBuf]) -> Vec<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    let mut out = Vec::new();
    for p in given {
        out.push(p.as_os_str().as_bytes().to_vec());
        if let Ok(real) = std::fs::canonicalize(p) {
            let real = real.as_os_str().as_bytes().to_vec();
            if !out.contains(&real) {
                out.push(real);
            }
        }
    }
    out
}
