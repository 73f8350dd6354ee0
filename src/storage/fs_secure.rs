//! Owner-only files and folders, and the syncs that make their creation durable.

use std::fs::{self, DirBuilder, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

/// Folder mode: owner only.
pub const DIR_MODE: u32 = 0o700;
/// File mode: owner read and write only.
pub const FILE_MODE: u32 = 0o600;

/// Creates `path` and any missing parents, owner-only. A folder that already exists keeps its
/// mode: it may be one the user chose to share.
pub fn create_private_dir_all(path: &Path) -> io::Result<()> {
    DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(path)
}

/// Makes an existing folder of ours owner-only.
pub fn make_private(path: &Path) -> io::Result<()> {
    let mode = fs::metadata(path)?.permissions().mode() & 0o777;
    if mode != DIR_MODE {
        fs::set_permissions(path, fs::Permissions::from_mode(DIR_MODE))?;
    }
    Ok(())
}

/// Creates one new owner-only folder; fails if it exists.
pub fn create_private_dir(path: &Path) -> io::Result<()> {
    DirBuilder::new().mode(DIR_MODE).create(path)?;
    // The process umask may have narrowed the mode further; never wider.
    fs::set_permissions(path, fs::Permissions::from_mode(DIR_MODE))
}

/// Creates a new owner-only file, fails if it exists.
pub fn create_private_file(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(path)
}

/// Writes a new owner-only file and syncs it.
pub fn write_private_file(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = create_private_file(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Syncs a folder so that the files just created in it survive a crash.
pub fn sync_dir(path: &Path) -> io::Result<()> {
    File::open(path)?.sync_all()
}

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
    let mut bytes = Vec::new();
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(too_big());
    }
    Ok(bytes)
}
