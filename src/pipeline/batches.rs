//! The input in bounded batches, the next batch read while the current one is worked on:
//! reading and parsing records is serial, and without the overlap the other threads wait
//! for it at every batch (docs/performance.md, "Scaling").

use std::io;

use crate::document::Document;
use crate::read::{Event, Issue};

use super::{interrupted, BatchLimits, Monitor};

/// Issues held by one batch at most: an input of bad records only must not pile them up.
const MAX_ISSUES: usize = 1024;

/// One batch of the input: its documents, in input order, and the issues met reading them.
pub(super) struct Batch {
    /// The documents, at most [`BatchLimits::documents`].
    pub documents: Vec<Document>,
    /// Inputs and records skipped, warnings raised, while reading the batch.
    pub issues: Vec<Issue>,
    /// Bytes of raw text in `documents`.
    pub bytes: usize,
}

impl Batch {
    /// Read `events` until the batch is full (by documents or by bytes) or the input ends.
    fn read(events: &mut impl Iterator<Item = Event>, limits: BatchLimits) -> Batch {
        let mut batch = Batch {
            documents: Vec::with_capacity(limits.documents.min(4096)),
            issues: Vec::new(),
            bytes: 0,
        };
        while batch.documents.len() < limits.documents
            && batch.bytes < limits.bytes
            && batch.issues.len() < MAX_ISSUES
        {
            match events.next() {
                Some(Event::Document(doc)) => {
                    batch.bytes += doc.raw.len();
                    batch.documents.push(doc);
                }
                Some(Event::Issue(issue)) => batch.issues.push(issue),
                None => break,
            }
        }
        batch
    }
}

/// Hand every batch of `events` to `work`, in input order, while the next batch is read on
/// another thread of the current rayon pool. Before a batch's work, its issues go to
/// `monitor` and the monitor is asked whether to stop; after it, the monitor hears the
/// progress. A batch of issues alone (the input ended, or held no documents) is worked on
/// too, so that `work` sees every issue. Stops at the first error of `work`.
///
/// The work runs first on the calling thread, the reading is left for another worker to
/// take: with one thread the order is that of sequential code (work, then read), so a
/// batch read from a pipe is written before the next one is waited for.
pub(super) fn for_each_batch<E>(
    mut events: E,
    limits: BatchLimits,
    monitor: &mut dyn Monitor,
    mut work: impl FnMut(Batch) -> io::Result<()> + Send,
) -> io::Result<()>
where
    E: Iterator<Item = Event> + Send,
{
    let mut batch = Batch::read(&mut events, limits);
    loop {
        for issue in &batch.issues {
            monitor.issue(issue);
        }
        if monitor.stop_requested() {
            return Err(interrupted());
        }
        if batch.documents.is_empty() && batch.issues.is_empty() {
            return Ok(());
        }
        let (documents, bytes) = (batch.documents.len(), batch.bytes);
        let (done, next) = rayon::join(|| work(batch), || Batch::read(&mut events, limits));
        done?;
        monitor.progress(documents, bytes);
        batch = next;
    }
}

/// A monitor that only relays stop requests: for the passes before the main one, which
/// report neither issues (the main pass does) nor progress.
pub(super) struct StopOnly<'a>(pub &'a dyn Monitor);

impl Monitor for StopOnly<'_> {
    fn issue(&mut self, _issue: &Issue) {}

    fn stop_requested(&self) -> bool {
        self.0.stop_requested()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A skipped record at `s:i`.
    fn issue(i: usize) -> Event {
        Event::Issue(Issue {
            location: format!("s:{i}"),
            message: "bad".into(),
            skipped: true,
        })
    }

    fn events(n: usize) -> impl Iterator<Item = Event> + Send {
        (0..n).flat_map(|i| {
            let doc = Event::Document(Document::new(format!("d{i}"), "s", "abcd"));
            // An issue after every third document.
            if i % 3 == 2 {
                vec![doc, issue(i)]
            } else {
                vec![doc]
            }
        })
    }

    #[derive(Default)]
    struct Recorder {
        issues: Vec<String>,
        progress: Vec<(usize, usize)>,
        stop_after_batches: Option<usize>,
    }

    impl Monitor for Recorder {
        fn issue(&mut self, issue: &Issue) {
            self.issues.push(issue.location.clone());
        }
        fn progress(&mut self, documents: usize, bytes: usize) {
            self.progress.push((documents, bytes));
        }
        fn stop_requested(&self) -> bool {
            self.stop_after_batches
                .is_some_and(|n| self.progress.len() >= n)
        }
    }

    fn limits(documents: usize, bytes: usize) -> BatchLimits {
        BatchLimits { documents, bytes }
    }

    #[test]
    fn every_document_is_worked_on_once_in_order_in_bounded_batches() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .expect("pool");
        let mut monitor = Recorder::default();
        let mut seen = Vec::new();
        let mut sizes = Vec::new();
        pool.install(|| {
            for_each_batch(events(10), limits(4, usize::MAX), &mut monitor, |b| {
                sizes.push(b.documents.len());
                seen.extend(b.documents.into_iter().map(|d| d.id));
                Ok(())
            })
        })
        .expect("no error");
        let expected: Vec<String> = (0..10).map(|i| format!("d{i}")).collect();
        assert_eq!(seen, expected);
        assert_eq!(sizes, [4, 4, 2]);
        assert_eq!(monitor.issues, ["s:2", "s:5", "s:8"]);
        assert_eq!(monitor.progress, [(4, 16), (4, 16), (2, 8)]);
    }

    #[test]
    fn issues_without_documents_reach_the_work() {
        let only_issues = (0..3).map(issue);
        let mut seen = Vec::new();
        for_each_batch(
            only_issues,
            limits(2, usize::MAX),
            &mut Recorder::default(),
            |b| {
                assert!(b.documents.is_empty());
                seen.extend(b.issues.into_iter().map(|i| i.location));
                Ok(())
            },
        )
        .expect("no error");
        assert_eq!(seen, ["s:0", "s:1", "s:2"]);
    }

    #[test]
    fn a_batch_holds_a_bounded_number_of_issues() {
        let only_issues = (0..MAX_ISSUES + 1).map(issue);
        let mut sizes = Vec::new();
        for_each_batch(
            only_issues,
            limits(2, usize::MAX),
            &mut Recorder::default(),
            |b| {
                sizes.push(b.issues.len());
                Ok(())
            },
        )
        .expect("no error");
        assert_eq!(sizes, [MAX_ISSUES, 1]);
    }

    #[test]
    fn a_batch_ends_once_its_bytes_reach_the_limit() {
        let mut sizes = Vec::new();
        for_each_batch(events(5), limits(100, 8), &mut Recorder::default(), |b| {
            sizes.push(b.documents.len());
            Ok(())
        })
        .expect("no error");
        assert_eq!(sizes, [2, 2, 1]);
    }

    #[test]
    fn an_error_of_the_work_ends_the_loop() {
        let mut calls = 0;
        let result = for_each_batch(
            events(10),
            limits(2, usize::MAX),
            &mut Recorder::default(),
            |_| {
                calls += 1;
                Err(io::Error::other("disk full"))
            },
        );
        assert_eq!(result.expect_err("fails").to_string(), "disk full");
        assert_eq!(calls, 1);
    }

    #[test]
    fn a_stop_request_ends_the_loop_before_the_next_batch() {
        let mut monitor = Recorder {
            stop_after_batches: Some(1),
            ..Recorder::default()
        };
        let mut calls = 0;
        let result = for_each_batch(events(10), limits(2, usize::MAX), &mut monitor, |_| {
            calls += 1;
            Ok(())
        });
        assert_eq!(
            result.expect_err("stopped").kind(),
            io::ErrorKind::Interrupted
        );
        assert_eq!(calls, 1);
    }
}
