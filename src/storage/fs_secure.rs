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

/// A sync of a file system for a batch of new files, begun before the first of them is written.
/// On Linux `finish` is one syncfs(2): a batch of a thousand small files costs one flush of the
/// file system, not a thousand; since Linux 5.8 it fails when writing back any file of that file
/// system failed since `begin` (hence begun first, or a failure in between would go unseen).
/// Elsewhere `finish` syncs each file and each folder holding one.
pub struct FileSystemSync {
    #[cfg(target_os = "linux")]
    folder: File,
}

impl FileSystemSync {
    /// Begins a sync of the file system the folder `anchor` is on.
    pub fn begin(anchor: &Path) -> io::Result<Self> {
        #[cfg(target_os = "linux")]
        return Ok(FileSystemSync {
            folder: File::open(anchor)?,
        });
        #[cfg(not(target_os = "linux"))]
        {
            let _ = anchor;
            Ok(FileSystemSync {})
        }
    }

    /// Makes the files `written` since `begin` durable, with the folder entries naming them.
    pub fn finish(&self, written: &[impl AsRef<Path>]) -> io::Result<()> {
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd;
            let _ = written;
            // SAFETY: syncfs only reads the descriptor, which `self.folder` keeps open.
            if unsafe { libc::syncfs(self.folder.as_raw_fd()) } != 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        }
        #[cfg(not(target_os = "linux"))]
        {
            let mut folders = std::collections::BTreeSet::new();
            for path in written {
                let path = path.as_ref();
                File::open(path)?.sync_all()?;
                folders.extend(path.parent().map(Path::to_path_buf));
            }
            folders.iter().try_for_each(|folder| sync_dir(folder))
        }
    }
}
