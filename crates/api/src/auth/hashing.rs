//! Password hashing off the request workers. Argon2 takes tens of milliseconds of CPU and ~19 MiB
//! per hash: run on an HTTP worker it stalls every request that worker serves, and run unbounded
//! it takes all cores and memory. So hashes run on a few dedicated threads behind a bounded queue;
//! when the queue is full the caller is told to come back (`Busy`) instead of waiting forever.

use futures::channel::oneshot;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce() + Send>;

/// The pool is running `threads` jobs and has `queue` more waiting.
#[derive(Debug, PartialEq)]
pub struct Busy;

pub struct HashPool {
    jobs: SyncSender<Job>,
    /// Jobs submitted and not yet done, and how many fit (threads + queue).
    in_flight: Arc<AtomicUsize>,
    capacity: usize,
}

impl HashPool {
    /// `threads` hash at once (at least one); up to `queue` more wait their turn.
    pub fn new(threads: usize, queue: usize) -> HashPool {
        // A rendezvous channel for a zero queue: a job is taken only by an idle thread.
        let (jobs, rx) = sync_channel::<Job>(queue);
        let rx = Arc::new(Mutex::new(rx));
        let threads = threads.max(1);
        for n in 0..threads {
            let rx = rx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("kehu-hash-{n}"))
                .spawn(move || work(&rx));
            if let Err(e) = spawned {
                log::error!("cannot start a password hashing thread: {e}");
            }
        }
        HashPool {
            jobs,
            in_flight: Arc::new(AtomicUsize::new(0)),
            capacity: threads + queue,
        }
    }

    /// Whether a job submitted now would likely be refused: lets a caller answer `Busy` before
    /// doing any other work for a request that cannot be served. `submit` stays the real bound.
    pub fn saturated(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) >= self.capacity
    }

    /// Hands `f` to the pool: a thread runs it now or once the jobs ahead of it are done.
    /// `Busy` when every thread is taken and the queue is full.
    pub fn submit<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<oneshot::Receiver<T>, Busy> {
        let (tx, rx) = oneshot::channel();
        let in_flight = self.in_flight.clone();
        in_flight.fetch_add(1, Ordering::AcqRel);
        let done = Done(in_flight.clone());
        let job: Job = Box::new(move || {
            let _done = done;
            let _ = tx.send(f());
        });
        match self.jobs.try_send(job) {
            Ok(()) => Ok(rx),
            // The refused job is dropped here, and its `Done` with it.
            Err(TrySendError::Full(_)) | Err(TrySendError::Disconnected(_)) => Err(Busy),
        }
    }

    /// Runs `f` on the pool and waits for it without blocking the caller's thread.
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        // A job that panicked drops its sender: reported like a full pool rather than a hang.
        self.submit(f)?.await.map_err(|_| Busy)
    }
}

/// Counts a job out of `in_flight` when it is done, refused or lost to a panic.
struct Done(Arc<AtomicUsize>);

impl Drop for Done {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

fn work(rx: &Mutex<Receiver<Job>>) {
    loop {
        let job = {
            let rx = rx.lock().unwrap_or_else(|e| e.into_inner());
            rx.recv()
        };
        match job {
            Ok(job) => {
                let _ = catch_unwind(AssertUnwindSafe(job));
            }
            // The pool was dropped.
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn runs_at_most_threads_at_once_queues_up_to_the_bound_then_refuses() {
        let (threads, queue) = (2, 3);
        let pool = HashPool::new(threads, queue);
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        // Each job holds its thread until the test releases it.
        let (release, held) = std::sync::mpsc::channel::<()>();
        let held = Arc::new(Mutex::new(held));
        let job = || {
            let (running, peak, held) = (running.clone(), peak.clone(), held.clone());
            move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                let _ = held.lock().unwrap_or_else(|e| e.into_inner()).recv();
                running.fetch_sub(1, Ordering::SeqCst);
            }
        };
        let mut pending = Vec::new();
        for _ in 0..threads {
            pending.push(pool.submit(job()).expect("an idle thread takes it"));
        }
        // Wait until both threads hold a job, so what follows lands in the queue.
        let started = Instant::now();
        while running.load(Ordering::SeqCst) < threads
            && started.elapsed() < Duration::from_secs(30)
        {
            std::thread::sleep(Duration::from_millis(2));
        }
        assert_eq!(
            running.load(Ordering::SeqCst),
            threads,
            "every thread took a job"
        );
        for _ in 0..queue {
            pending.push(pool.submit(job()).expect("queued behind the running ones"));
        }
        assert!(pool.saturated());
        assert_eq!(
            pool.submit(job()).err(),
            Some(Busy),
            "past the queue: refused"
        );
        for _ in 0..threads + queue {
            release.send(()).expect("release a job");
        }
        for p in pending {
            futures::executor::block_on(p).expect("every accepted job runs");
        }
        assert_eq!(
            peak.load(Ordering::SeqCst),
            threads,
            "never more than `threads` at once"
        );
        assert!(!pool.saturated());
        assert_eq!(
            futures::executor::block_on(pool.run(|| 7)),
            Ok(7),
            "free again once drained"
        );
    }
}
