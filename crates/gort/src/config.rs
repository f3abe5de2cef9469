//! A runtime's configuration, as `Builder` checked it: a leaf that the scheduler reads, so that
//! the scheduler does not depend on the builder that starts it.

/// What `Builder` hands to `run`: every value already checked against its bounds.
#[derive(Clone, Debug)]
pub(crate) struct Config {
    pub(crate) max_procs: usize,
    pub(crate) stack_size: usize,
    pub(crate) max_threads: usize,
}
