//! An in-memory disk under the journal writer (`std::io::Write` + `JournalStorage`) that fails on
//! demand, in any of three ways: it fills up (`room`: it takes that many more bytes, a short write
//! at the edge, then answers ENOSPC), every fsync fails with EIO (`sync_fails`), or a scheduled
//! `Fault` fails given write or fsync calls. It keeps what a reader sees (`bytes`), what would
//! survive a crash (`durable`) and a log of every call.
//!
//! Included by the tests that need it with `#[path = "support/fake_disk.rs"] mod fake_disk;`.

// Each test crate uses a different part of this module.
#![allow(dead_code)]

use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;
use topicguide::storage::journal::JournalStorage;

pub const ENOSPC: i32 = 28;
pub const EIO: i32 = 5;

/// Which call of the disk fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `write` fails and writes nothing.
    Write,
    /// `write` takes half the bytes (a short write); the call that follows it fails.
    PartialWrite,
    /// `fsync` fails: what was written since the last good fsync may not be on the disk.
    Sync,
}

/// A fault: calls `first..first + times` of one kind fail with `errno`; `times` None for good.
#[derive(Debug, Clone, Copy)]
pub struct Fault {
    pub call: Call,
    pub errno: i32,
    pub first: usize,
    pub times: Option<usize>,
}

impl Fault {
    fn hits(&self, index: usize) -> bool {
        index >= self.first && self.times.is_none_or(|n| index < self.first + n)
    }
}

/// The disk: what a reader sees (`bytes`), what would survive a crash (`durable`: the bytes as
/// of the last fsync that returned, cut by any truncation since), and every call made.
#[derive(Debug, Default)]
pub struct Disk {
    pub bytes: Vec<u8>,
    pub durable: usize,
    /// Bytes still accepted before the disk is full; None for no limit.
    pub room: Option<usize>,
    /// Every fsync fails with EIO.
    pub sync_fails: bool,
    pub fault: Option<Fault>,
    /// `write` calls made.
    pub writes: usize,
    /// `fsync` calls made.
    pub sync_calls: usize,
    /// `fsync` calls that returned Ok.
    pub syncs: usize,
    /// The call after a short write fails.
    pub fail_next_write: Option<i32>,
    /// Calls that failed.
    pub failures: usize,
    pub log: Vec<String>,
}

impl Disk {
    /// Whether the fault has run its course: every call it fails has been made.
    pub fn fault_over(&self) -> bool {
        match self.fault {
            None => true,
            Some(f) => {
                let made = match f.call {
                    Call::Write | Call::PartialWrite => self.writes,
                    Call::Sync => self.sync_calls,
                };
                f.times.is_some_and(|n| made >= f.first + n) && self.fail_next_write.is_none()
            }
        }
    }
}

/// The disk as the writer's storage; clones share it, so a test keeps one to look and steer.
#[derive(Debug, Clone, Default)]
pub struct FakeDisk(pub Rc<RefCell<Disk>>);

impl Write for FakeDisk {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut disk = self.0.borrow_mut();
        if let Some(errno) = disk.fail_next_write.take() {
            disk.failures += 1;
            disk.log
                .push(format!("write {} bytes: error {errno}", buf.len()));
            return Err(io::Error::from_raw_os_error(errno));
        }
        let index = disk.writes;
        disk.writes += 1;
        let mut n = match disk.fault {
            Some(f) if f.call == Call::Write && f.hits(index) => {
                disk.failures += 1;
                disk.log
                    .push(format!("write {} bytes: error {}", buf.len(), f.errno));
                return Err(io::Error::from_raw_os_error(f.errno));
            }
            Some(f) if f.call == Call::PartialWrite && f.hits(index) && buf.len() > 1 => {
                disk.fail_next_write = Some(f.errno);
                buf.len() / 2
            }
            _ => buf.len(),
        };
        match disk.room {
            Some(0) => {
                disk.failures += 1;
                disk.log
                    .push(format!("write {} bytes: full, error {ENOSPC}", buf.len()));
                return Err(io::Error::from_raw_os_error(ENOSPC));
            }
            Some(room) => {
                n = n.min(room);
                disk.room = Some(room - n);
            }
            None => {}
        }
        disk.bytes.extend_from_slice(&buf[..n]);
        disk.log.push(format!("write {n} of {} bytes", buf.len()));
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl JournalStorage for FakeDisk {
    fn sync_data(&mut self) -> io::Result<()> {
        let mut disk = self.0.borrow_mut();
        let index = disk.sync_calls;
        disk.sync_calls += 1;
        let errno = match disk.fault {
            Some(f) if f.call == Call::Sync && f.hits(index) => Some(f.errno),
            _ if disk.sync_fails => Some(EIO),
            _ => None,
        };
        match errno {
            Some(errno) => {
                disk.failures += 1;
                disk.log.push(format!("fsync: error {errno}"));
                Err(io::Error::from_raw_os_error(errno))
            }
            None => {
                disk.syncs += 1;
                disk.durable = disk.bytes.len();
                let durable = disk.durable;
                disk.log.push(format!("fsync: {durable} bytes durable"));
                Ok(())
            }
        }
    }

    fn set_len(&mut self, len: u64) -> io::Result<()> {
        let mut disk = self.0.borrow_mut();
        let len = usize::try_from(len).expect("a small journal");
        assert!(len <= disk.bytes.len(), "set_len only ever cuts");
        disk.bytes.truncate(len);
        disk.durable = disk.durable.min(len);
        disk.log.push(format!("truncate to {len}"));
        Ok(())
    }
}
