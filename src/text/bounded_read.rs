//! Reading a text file the user or a session folder supplies, bounded: a device (`/dev/zero`),
//! a huge file or a FIFO must never eat memory or hang a command. std and libc only, so every
//! layer may use it.

use std::fs::OpenOptions;
use std::io;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// The most bytes a guide file may hold: a guide of 100,000 themes is under 5 MB.
pub const MAX_GUIDE_BYTES: u64 = 32 << 20;

/// Reads at most `max` bytes of `path`, failing with a clear message past that, so that a
/// device (`/dev/zero`) or a huge file cannot eat memory. With `regular_only`, anything but a
/// regular file (a FIFO planted as a session's guide snapshot) is refused at once rather than
/// waited on; without it a pipe is read (`guide check <(...)`), still bounded.
pub fn read_capped(path: &Path, max: u64, regular_only: bool) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut options = OpenOptions::new();
    options.read(true);
    if regular_only {
        // Never blocks on a FIFO; for a regular file the flag changes nothing.
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "is a folder"));
    }
    if regular_only && !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "is not a regular file",
        ));
    }
    let too_big = || {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("is larger than {} MiB: not a topic guide", max >> 20),
        )
    };
    if meta.is_file() && meta.len() > max {
        return Err(too_big());
    }
    // Sized from the file's length: `take` hides it from `read_to_end`, which would otherwise
    // grow the buffer (and copy it) a few times for every guide snapshot a review reads.
    let expected = if meta.is_file() { meta.len() } else { 0 };
    let mut bytes = Vec::with_capacity(usize::try_from(expected + 1).unwrap_or(0));
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(too_big());
    }
    Ok(bytes)
}
