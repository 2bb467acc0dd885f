//! An in-memory token store: a mutex around two collections. For tests, single-process
//! services and as the reference the conformance suite is written against.
//!
//! Limitation: tokens live only as long as the process, so a restart invalidates every
//! outstanding link, and several processes never share tokens; use
//! [`SqliteTokenStore`](crate::token::SqliteTokenStore) or a database store for that.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use crate::token::error::StoreError;
use crate::token::format::Selector;
use crate::token::store::{RequestEvent, TokenRecord, TokenStore};

#[derive(Debug, Default)]
struct Inner {
    tokens: HashMap<Selector, TokenRecord>,
    // Request times indexed both ways and kept sorted, so a count is a binary search in
    // one address's or one requester's events, however many a flood has recorded.
    by_email: HashMap<[u8; 32], Vec<i64>>,
    by_requester: HashMap<String, Vec<i64>>,
}

fn count_since(times: Option<&Vec<i64>>, since: i64) -> u64 {
    times.map_or(0, |t| {
        (t.len() - t.partition_point(|&at| at < since)) as u64
    })
}

/// Inserts `at` keeping `times` sorted: an append for events recorded in time order.
fn insert_sorted(times: &mut Vec<i64>, at: i64) {
    let position = times.partition_point(|&t| t <= at);
    times.insert(position, at);
}

fn purge_times<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<i64>>, before: i64) -> u64 {
    let mut removed = 0;
    map.retain(|_, times| {
        let len = times.len();
        times.retain(|&at| at >= before);
        removed += (len - times.len()) as u64;
        !times.is_empty()
    });
    removed
}

/// Tokens and request events in process memory, safe to share between threads.
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    inner: Mutex<Inner>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> Result<MutexGuard<'_, Inner>, StoreError> {
        // A poisoned lock means a thread panicked mid-update; refuse rather than guess.
        self.inner
            .lock()
            .map_err(|_| StoreError::backend("memory store lock is poisoned"))
    }
}

impl TokenStore for MemoryTokenStore {
    fn insert(&self, record: &TokenRecord) -> Result<(), StoreError> {
        let mut inner = self.lock()?;
        if inner.tokens.contains_key(&record.selector) {
            return Err(StoreError::DuplicateSelector);
        }
        inner.tokens.insert(record.selector, record.clone());
        Ok(())
    }

    fn peek(&self, selector: &Selector) -> Result<Option<TokenRecord>, StoreError> {
        Ok(self.lock()?.tokens.get(selector).cloned())
    }

    fn take(&self, selector: &Selector, now: i64) -> Result<Option<TokenRecord>, StoreError> {
        let mut inner = self.lock()?;
        match inner.tokens.get_mut(selector) {
            Some(record) if record.consumed_at.is_none() => {
                let before = record.clone();
                record.consumed_at = Some(now);
                Ok(Some(before))
            }
            _ => Ok(None),
        }
    }

    fn revoke_all(&self, account_id: &str) -> Result<u64, StoreError> {
        let mut inner = self.lock()?;
        let before = inner.tokens.len();
        inner
            .tokens
            .retain(|_, r| r.account_id != account_id || r.consumed_at.is_some());
        Ok((before - inner.tokens.len()) as u64)
    }

    fn record_request(&self, event: &RequestEvent) -> Result<(), StoreError> {
        let mut inner = self.lock()?;
        insert_sorted(inner.by_email.entry(event.email_key).or_default(), event.at);
        insert_sorted(
            inner
                .by_requester
                .entry(event.requester.clone())
                .or_default(),
            event.at,
        );
        Ok(())
    }

    fn count_requests_for_email(
        &self,
        email_key: &[u8; 32],
        since: i64,
    ) -> Result<u64, StoreError> {
        Ok(count_since(self.lock()?.by_email.get(email_key), since))
    }

    fn count_requests_for_requester(&self, requester: &str, since: i64) -> Result<u64, StoreError> {
        Ok(count_since(self.lock()?.by_requester.get(requester), since))
    }

    fn purge(&self, now: i64, requests_before: i64) -> Result<u64, StoreError> {
        let mut inner = self.lock()?;
        let before = inner.tokens.len();
        inner.tokens.retain(|_, r| r.expires_at > now);
        let tokens = (before - inner.tokens.len()) as u64;
        // Each event sits in both indexes; count it once.
        let requests = purge_times(&mut inner.by_email, requests_before);
        purge_times(&mut inner.by_requester, requests_before);
        Ok(tokens + requests)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(at: i64) -> RequestEvent {
        RequestEvent {
            email_key: [1; 32],
            requester: "203.0.113.9".into(),
            at,
        }
    }

    #[test]
    fn counts_stay_exact_when_events_arrive_out_of_order() {
        let store = MemoryTokenStore::new();
        for at in [50, 10, 30, 30, 70, 20] {
            store.record_request(&event(at)).expect("recorded");
        }
        for (since, expected) in [(0, 6), (20, 5), (30, 4), (31, 2), (70, 1), (71, 0)] {
            assert_eq!(
                store
                    .count_requests_for_email(&[1; 32], since)
                    .expect("counted"),
                expected,
                "since {since}"
            );
            assert_eq!(
                store
                    .count_requests_for_requester("203.0.113.9", since)
                    .expect("counted"),
                expected,
                "since {since}"
            );
        }
        assert_eq!(store.purge(0, 30).expect("purged"), 2);
        assert_eq!(
            store
                .count_requests_for_email(&[1; 32], 0)
                .expect("counted"),
            4
        );
    }
}
