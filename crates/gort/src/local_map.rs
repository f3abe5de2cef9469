//! One goroutine's goroutine-local values (`crate::local`), a leaf: each G owns one, and the
//! scheduler creates and drops them without depending on the `goroutine_local!` machinery.

use std::any::Any;
use std::collections::HashMap;

/// One goroutine's values, by key (the address of their `GoroutineLocal`).
#[derive(Default)]
pub(crate) struct LocalMap {
    /// Boxed, so that a goroutine that never uses goroutine-local storage pays one pointer for it
    /// (an empty `HashMap` is 48 bytes, in every goroutine).
    #[allow(clippy::box_collection)]
    values: Option<Box<HashMap<usize, Box<dyn Any + Send>>>>,
}

impl LocalMap {
    /// The value for `key`, created by `init` on first use. The returned pointer stays valid until the
    /// map is dropped: values are boxed and never removed.
    pub(crate) fn get_or_init<T: Send + 'static>(
        &mut self,
        key: usize,
        init: fn() -> T,
    ) -> *const T {
        let values = self.values.get_or_insert_with(Default::default);
        let b = values.entry(key).or_insert_with(|| Box::new(init()));
        b.downcast_ref::<T>()
            .expect("a goroutine-local key maps to its own type") as *const T
    }
}
