//! A pipe for tests of plain blocking calls: a `read` that blocks the thread, in the kernel,
//! until someone writes (the runtime is not told).

/// A pipe: (read end, write end).
pub fn pipe() -> (i32, i32) {
    let mut fds = [0i32; 2];
    // SAFETY: `fds` is a valid array of two ints for the kernel to fill.
    let rc = unsafe { libc::pipe(fds.as_mut_ptr()) };
    assert_eq!(rc, 0, "pipe: {}", std::io::Error::last_os_error());
    (fds[0], fds[1])
}

/// Reads one byte with a plain blocking `read`.
pub fn read_byte(fd: i32) -> u8 {
    let mut b = 0u8;
    // SAFETY: `b` is a valid one-byte buffer that outlives the call.
    let n = unsafe { libc::read(fd, (&mut b as *mut u8).cast(), 1) };
    assert_eq!(n, 1, "read: {}", std::io::Error::last_os_error());
    b
}

/// Writes one byte with a plain `write`.
pub fn write_byte(fd: i32, b: u8) {
    // SAFETY: `b` is a valid one-byte buffer that outlives the call.
    let n = unsafe { libc::write(fd, (&b as *const u8).cast(), 1) };
    assert_eq!(n, 1, "write: {}", std::io::Error::last_os_error());
}

/// Closes both ends of a pipe from [`pipe`], once.
pub fn close(fds: (i32, i32)) {
    // SAFETY: both descriptors came from `pipe` and are closed once.
    unsafe {
        libc::close(fds.0);
        libc::close(fds.1);
    }
}
