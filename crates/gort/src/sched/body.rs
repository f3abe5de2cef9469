//! A goroutine's body: the closure it runs, kept in its G until the G first runs.
//!
//! Go copies a new goroutine's arguments into the G it creates; allocating nothing per spawn matters
//! as much here. A closure of up to [`INLINE_WORDS`] words (with at most a word's alignment) lives
//! inline in the [`Body`]; a larger one is boxed. Either way the body is type-erased behind two
//! function pointers made for its closure type: one runs it (consuming it), one drops it unrun.
//!
//! The inline case is what makes spawning cheap on several cores: a boxed closure is allocated by the
//! spawning thread and freed by whichever thread runs the goroutine, and that cross-thread free is
//! slow in every allocator.

use std::mem::{align_of, size_of, ManuallyDrop, MaybeUninit};

use super::g::G;

/// Words of inline storage: room for a closure that captures five pointers or integers.
const INLINE_WORDS: usize = 5;

type Storage = MaybeUninit<[usize; INLINE_WORDS]>;

/// A `FnOnce(&G, bool) + Send + 'static`, inline or boxed. The `bool` says whether the goroutine was
/// cancelled before it started: then the body only drops its closure and reports the cancellation.
pub(crate) struct Body {
    /// The closure itself (inline case) or a `*mut F` from `Box::into_raw` (boxed case).
    data: Storage,
    /// Runs the closure in `data`, consuming it. Made for the closure type stored there.
    call: unsafe fn(*mut Storage, &G, bool),
    /// Drops the closure in `data` without running it.
    drop: unsafe fn(*mut Storage),
}

// SAFETY: a `Body` is only built from an `F: Send` (see `Body::new`), which is all it holds.
unsafe impl Send for Body {}

impl Body {
    /// Wraps `f`, inline if it fits.
    ///
    /// ```ignore
    /// let b = Body::new(|_g: &G, cancelled: bool| assert!(!cancelled));
    /// ```
    pub(crate) fn new<F: FnOnce(&G, bool) + Send + 'static>(f: F) -> Body {
        let mut data = Storage::uninit();
        if fits_inline::<F>() {
            // SAFETY: `F` fits in `data`, and `data`'s alignment satisfies `F`'s (checked above).
            unsafe { data.as_mut_ptr().cast::<F>().write(f) };
            Body {
                data,
                call: call_inline::<F>,
                drop: drop_inline::<F>,
            }
        } else {
            let boxed: *mut F = Box::into_raw(Box::new(f));
            // SAFETY: a pointer fits in `data` with its alignment.
            unsafe { data.as_mut_ptr().cast::<*mut F>().write(boxed) };
            Body {
                data,
                call: call_boxed::<F>,
                drop: drop_boxed::<F>,
            }
        }
    }

    /// Runs the closure on goroutine `g`.
    pub(crate) fn run(self, g: &G, cancelled: bool) {
        // The closure is consumed by `call`: our `Drop` must not drop it again.
        let mut this = ManuallyDrop::new(self);
        // SAFETY: `data` holds the closure `call` was made for, not yet run or dropped, and
        // `ManuallyDrop` keeps it from being dropped after `call` has moved it out.
        unsafe { (this.call)(&mut this.data, g, cancelled) }
    }
}

impl Drop for Body {
    fn drop(&mut self) {
        // SAFETY: `data` holds the closure `drop` was made for, not yet run (`run` bypasses this).
        unsafe { (self.drop)(&mut self.data) }
    }
}

/// Whether a closure of type `F` is stored inline.
const fn fits_inline<F>() -> bool {
    size_of::<F>() <= size_of::<Storage>() && align_of::<F>() <= align_of::<Storage>()
}

/// # Safety
/// `data` holds an `F` written by `Body::new`'s inline branch, not used since.
unsafe fn call_inline<F: FnOnce(&G, bool)>(data: *mut Storage, g: &G, cancelled: bool) {
    // SAFETY: as the function's contract says; reading it out moves it, and no one uses it after.
    let f = unsafe { data.cast::<F>().read() };
    f(g, cancelled)
}

/// # Safety
/// As for [`call_inline`].
unsafe fn drop_inline<F>(data: *mut Storage) {
    // SAFETY: as the function's contract says.
    unsafe { data.cast::<F>().drop_in_place() }
}

/// # Safety
/// `data` holds a `*mut F` from `Box::into_raw`, written by `Body::new`'s boxed branch, not used since.
unsafe fn call_boxed<F: FnOnce(&G, bool)>(data: *mut Storage, g: &G, cancelled: bool) {
    // SAFETY: as the function's contract says: we take the box back, once.
    let f = unsafe { Box::from_raw(data.cast::<*mut F>().read()) };
    f(g, cancelled)
}

/// # Safety
/// As for [`call_boxed`].
unsafe fn drop_boxed<F>(data: *mut Storage) {
    // SAFETY: as the function's contract says.
    drop(unsafe { Box::from_raw(data.cast::<*mut F>().read()) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    /// Counts drops of the closure's captures.
    struct Probe(Arc<AtomicUsize>);
    impl Drop for Probe {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn fits<F: FnOnce(&G, bool)>(_: &F) -> bool {
        fits_inline::<F>()
    }

    #[test]
    fn small_closures_are_inline_and_large_ones_boxed_and_both_drop_once() {
        let drops = Arc::new(AtomicUsize::new(0));
        let small = Probe(drops.clone());
        let f = move |_: &G, _| drop(small);
        assert!(fits(&f));
        let b = Body::new(f);
        drop(b);
        assert_eq!(
            drops.load(Ordering::SeqCst),
            1,
            "an unrun inline body drops its closure"
        );
        let big = (Probe(drops.clone()), [0u64; 8]);
        let f = move |_: &G, _| drop(big);
        assert!(!fits(&f));
        let b = Body::new(f);
        drop(b);
        assert_eq!(
            drops.load(Ordering::SeqCst),
            2,
            "an unrun boxed body drops its closure"
        );
    }
}
