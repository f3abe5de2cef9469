//! A channel's state and the operations on it, all run with the channel's lock held.
//!
//! The state is Go's `hchan`: a ring buffer of up to `cap` values, a queue of blocked receivers, a queue of
//! blocked senders and a closed flag. Invariants, as in Go:
//! - receivers wait only while the buffer is empty; senders wait only while it is full (for `cap == 0`
//!   it is always both), so a new arrival completes against a waiter before it touches the buffer;
//! - values are received in the order they were sent: a receiver that empties a full buffer slot
//!   refills it from the first waiting sender;
//! - a closed channel has no waiters.
//!
//! Waiter entries may be stale (their `select!` already completed elsewhere, or they timed out): a claim
//! that fails drops the entry and the operation tries the next one.

use super::waiter::{Claimed, Entry, WaitCell};
use crate::park::Wakeup;
use std::collections::VecDeque;

/// Outcome of trying to send without blocking.
pub(crate) enum SendNow<T> {
    /// Sent; wake this receiver (if any) once the lock is released.
    Sent(Option<Wakeup>),
    /// The channel is closed; here is the value back.
    Closed(T),
    /// The operation would block; here is the value back.
    Blocked(T),
}

/// Outcome of trying to receive without blocking.
pub(crate) enum RecvNow<T> {
    /// Received; wake this sender (if any) once the lock is released.
    Value(T, Option<Wakeup>),
    /// Closed and drained.
    Closed,
    /// The operation would block.
    Blocked,
}

/// The lock-protected part of a channel.
pub(crate) struct State<T> {
    buf: VecDeque<T>,
    recvq: VecDeque<Entry<T>>,
    sendq: VecDeque<Entry<T>>,
    closed: bool,
}

fn first_claimable<T>(q: &mut VecDeque<Entry<T>>) -> Option<Claimed<T>> {
    while let Some(e) = q.pop_front() {
        if let Some(c) = e.claim() {
            return Some(c);
        }
    }
    None
}

impl<T> State<T> {
    pub(crate) fn new() -> State<T> {
        State {
            buf: VecDeque::new(),
            recvq: VecDeque::new(),
            sendq: VecDeque::new(),
            closed: false,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.buf.len()
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed
    }

    /// Sends `v` if a receiver waits or the buffer has room. Inlined: it is half of every channel
    /// hand-off; the rarer cases (stale entries) are out of line.
    #[inline]
    pub(crate) fn try_send(&mut self, cap: usize, v: T) -> SendNow<T> {
        if self.closed {
            return SendNow::Closed(v);
        }
        if !self.recvq.is_empty() {
            if let Some(mut r) = first_claimable(&mut self.recvq) {
                r.put(v);
                return SendNow::Sent(r.complete());
            }
        }
        if self.buf.len() < cap {
            self.buf.push_back(v);
            return SendNow::Sent(None);
        }
        SendNow::Blocked(v)
    }

    /// Receives a value if one is buffered or a sender waits. Inlined, as `try_send`.
    #[inline]
    pub(crate) fn try_recv(&mut self) -> RecvNow<T> {
        if self.buf.is_empty() {
            if self.sendq.is_empty() {
                return if self.closed {
                    RecvNow::Closed
                } else {
                    RecvNow::Blocked
                };
            }
            // Empty buffer: take straight from a waiting sender (unbuffered channels only reach
            // here with one).
            if let Some(mut s) = first_claimable(&mut self.sendq) {
                if let Some(v) = s.take() {
                    return RecvNow::Value(v, s.complete());
                }
                // A sender slot is never empty while its entry is queued; complete it anyway to
                // stay live.
                if let Some(w) = s.complete() {
                    w.run();
                }
            }
        }
        self.try_recv_slow()
    }

    fn try_recv_slow(&mut self) -> RecvNow<T> {
        if let Some(v) = self.buf.pop_front() {
            // A slot freed up: the first waiting sender moves its value into the buffer, keeping FIFO order.
            let mut waker = None;
            if let Some(mut s) = first_claimable(&mut self.sendq) {
                if let Some(w) = s.take() {
                    self.buf.push_back(w);
                }
                waker = s.complete();
            }
            return RecvNow::Value(v, waker);
        }
        // Empty buffer: take straight from a waiting sender (unbuffered channels only reach here with one).
        while let Some(mut s) = first_claimable(&mut self.sendq) {
            if let Some(v) = s.take() {
                return RecvNow::Value(v, s.complete());
            }
            if let Some(w) = s.complete() {
                w.run();
            }
        }
        if self.closed {
            RecvNow::Closed
        } else {
            RecvNow::Blocked
        }
    }

    /// Closes the channel; returns `false` if it was closed already. Every waiter is claimed and completed
    /// with its slot untouched (receivers: empty, i.e. closed; senders: still holding their value, i.e.
    /// `Err(value)`). What to do to wake them goes into `wake`.
    pub(crate) fn close(&mut self, wake: &mut Vec<Wakeup>) -> bool {
        if self.closed {
            return false;
        }
        self.closed = true;
        for q in [&mut self.recvq, &mut self.sendq] {
            while let Some(c) = first_claimable(q) {
                wake.extend(c.complete());
            }
        }
        true
    }

    /// Queues a blocked receiver.
    pub(crate) fn push_receiver(&mut self, e: Entry<T>) {
        self.recvq.push_back(e);
    }

    /// Queues a blocked sender.
    pub(crate) fn push_sender(&mut self, e: Entry<T>) {
        self.sendq.push_back(e);
    }

    /// Removes every entry of `cell` from both queues.
    pub(crate) fn withdraw(&mut self, cell: &WaitCell) {
        self.recvq.retain(|e| !e.is_of(cell));
        self.sendq.retain(|e| !e.is_of(cell));
    }
}
