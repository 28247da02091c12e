//! Writing results: to stdout, or to the file a user names, so that a failed run never
//! leaves a half-written file and nothing but the named file changes.
//!
//! - A regular file (or a path that does not exist yet) is replaced atomically: the bytes go
//!   to a hidden temporary file in the same folder, which is renamed over the target. A
//!   symbolic link is followed, and its *target* is replaced this way; the link stays.
//! - Anything else — a device such as `/dev/null` or `/dev/stdout`, a FIFO — is written
//!   through directly: renaming over it would replace the device node or the pipe with a
//!   regular file, and the reader of the pipe would get nothing.
//!
//! Messages name the user's path, never the temporary file's. While a temporary file
//! exists, a SIGINT, SIGTERM or SIGHUP handler removes it before the process dies as the
//! signal demands (see [`Staged`]).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Error;

/// Writes `bytes` to `path` (see the module's rules), or to stdout when `path` is `None` or
/// `-`.
pub fn write_output(path: Option<&Path>, bytes: &[u8]) -> Result<(), Error> {
    match path {
        None => write_stdout(bytes),
        Some(p) if p.as_os_str() == "-" => write_stdout(bytes),
        Some(p) => write_atomic(p, bytes),
    }
}

/// Writes a note (progress, a warning) to stderr. A stderr that cannot take it (closed, or a
/// full device) is no reason to stop the run, so a failure is ignored rather than panicking
/// as `eprintln!` would.
pub fn note(text: std::fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(text);
    let _ = err.write_all(b"\n");
}

fn write_stdout(bytes: &[u8]) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`accord run … | head`) is not a failure of the run.
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Error::Write {
            path: "<stdout>".into(),
            source: plain(e),
        }),
        _ => Ok(()),
    }
}

/// Writes `bytes` to the file at `path`: atomically for a regular file (or a new one, or the
/// target of a symbolic link), directly for a device or FIFO.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    stream_to(path, |w| w.write_all(bytes))
}

/// Writes what `fill` writes to the file at `path` as it writes it (by the same rules as
/// [`write_atomic`]), so output too large to hold in memory — a long trace — never is.
pub fn stream_to(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let fail = |e: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        source: plain(e),
    };
    let target = resolve(path).map_err(fail)?;
    match std::fs::metadata(&target) {
        Ok(m) if m.is_dir() => Err(fail(is_a_directory())),
        Ok(m) if !m.is_file() => write_through(&target, fill).map_err(fail),
        Ok(m) => {
            let mut staged = Staged::create(&target).map_err(fail)?;
            staged.keep_permissions(&m).map_err(fail)?;
            buffered(&mut staged, fill).map_err(fail)?;
            staged.commit().map_err(fail)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // Why the file cannot be created says more than the failure to create it.
            let mut staged = Staged::create(&target)
                .map_err(|e| fail(writable_folder(&target).err().unwrap_or(e)))?;
            buffered(&mut staged, fill).map_err(fail)?;
            staged.commit().map_err(fail)
        }
        Err(e) => Err(fail(e)),
    }
}

/// Checks, before a long run, that its output can be written to `path` (`-` is stdout and
/// always fine), creating nothing: the folder of a new or regular file exists and is
/// writable (the file is replaced by a rename in it), a device or FIFO is writable, and the
/// path is not a folder or a socket. The error is the one writing would give (exit code 1).
pub fn check_destination(path: &Path) -> Result<(), Error> {
    if path.as_os_str() == "-" {
        return Ok(());
    }
    let fail = |e: std::io::Error| Error::Write {
        path: path.to_path_buf(),
        source: plain(e),
    };
    let target = resolve(path).map_err(fail)?;
    match std::fs::metadata(&target) {
        Ok(m) if m.is_dir() => Err(fail(is_a_directory())),
        Ok(m) if m.is_file() => writable_folder(&target).map_err(fail),
        Ok(m) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::FileTypeExt;
                if m.file_type().is_socket() {
                    return Err(fail(std::io::Error::other(
                        "it is a socket, which cannot be opened for writing",
                    )));
                }
            }
            let _ = m;
            access_writable(&target).map_err(fail)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            writable_folder(&target).map_err(fail)
        }
        Err(e) => Err(fail(e)),
    }
}

/// The folder a file at `path` lives in (`.` for a bare file name).
fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// The folder of `path` exists, is a folder, and a file can be created in it.
fn writable_folder(path: &Path) -> std::io::Result<()> {
    let dir = folder_of(path);
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => access_writable(dir),
        Ok(_) => Err(std::io::Error::other(format!(
            "{} is not a folder",
            dir.display()
        ))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(std::io::Error::other(format!(
            "the folder {} does not exist",
            dir.display()
        ))),
        Err(e) => Err(e),
    }
}

/// Whether this process may write `path` (for a folder: create files in it), as the kernel
/// would decide it, read-only file systems included, without opening anything.
fn access_writable(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(path.as_os_str().as_bytes())
            .map_err(|_| std::io::Error::other("the path holds a NUL byte"))?;
        // SAFETY: `c` is a valid NUL-terminated string that outlives the call.
        let r = unsafe { libc::access(c.as_ptr(), libc::W_OK) };
        if r != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }
    #[cfg(not(unix))]
    {
        let m = std::fs::metadata(path)?;
        if m.permissions().readonly() {
            return Err(std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        }
        Ok(())
    }
}

/// `path` with every symbolic link along its last component followed (at most 40, as the
/// kernel allows), so that a link's target is what gets replaced; a dangling link resolves
/// to the missing file it names.
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&p)?;
                p = if to.is_absolute() {
                    to
                } else {
                    folder_of(&p).join(to)
                };
            }
            _ => return Ok(p),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// Writes to a device or FIFO as it is (no temporary file, no truncation of a device).
fn write_through(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
    buffered(&mut f, fill)
}

/// Runs `fill` on a buffer in front of `out` (many small writes, few system calls) and
/// flushes it.
fn buffered(
    out: &mut dyn Write,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::new(out);
    fill(&mut w)?;
    w.flush()
}

fn is_a_directory() -> std::io::Error {
    std::io::Error::other("it is a folder")
}

/// The error without any path it carries (tempfile names its temporary file), its text
/// starting in lower case as it follows "cannot write PATH:" in a message
/// ("no space left on device (os error 28)").
fn plain(e: std::io::Error) -> std::io::Error {
    // tempfile wraps the OS error in one that adds the temporary file's path.
    let code = e.raw_os_error().or_else(|| {
        e.get_ref()?
            .source()?
            .downcast_ref::<std::io::Error>()?
            .raw_os_error()
    });
    let text = match code {
        Some(code) => std::io::Error::from_raw_os_error(code).to_string(),
        None => e
            .get_ref()
            .map(|inner| inner.to_string())
            .filter(|t| !t.contains(".accord-"))
            .unwrap_or_else(|| e.kind().to_string()),
    };
    let mut chars = text.chars();
    let text: String = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    };
    std::io::Error::new(e.kind(), text)
}

/// A temporary file beside its target, registered for removal if a signal ends the process
/// before [`Staged::commit`] renames it into place (and removed when dropped uncommitted).
pub struct Staged {
    file: Option<tempfile::NamedTempFile>,
    target: PathBuf,
}

impl Staged {
    /// A new temporary file in `target`'s folder, registered with the signal handler.
    pub fn create(target: &Path) -> std::io::Result<Staged> {
        signals::install();
        // The name is registered before the file exists, so a signal that lands while it is
        // created still removes it (removing a name not yet created does nothing).
        let file = tempfile::Builder::new()
            .prefix(".accord-")
            .make_in(folder_of(target), |path| {
                signals::register(path);
                private_file(path)
            })
            .inspect_err(|_| signals::unregister())?;
        let staged = Staged {
            file: Some(file),
            target: target.to_path_buf(),
        };
        // The temporary file is private (0600); a new result should read like any new file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            staged.set_permissions(std::fs::Permissions::from_mode(0o644))?;
        }
        Ok(staged)
    }

    /// The temporary file's path (for tests; messages never show it).
    pub fn temp_path(&self) -> Option<&Path> {
        self.file.as_ref().map(|f| f.path())
    }

    /// Gives the result the permissions of the file it replaces.
    fn keep_permissions(&self, old: &std::fs::Metadata) -> std::io::Result<()> {
        self.set_permissions(old.permissions())
    }

    fn set_permissions(&self, p: std::fs::Permissions) -> std::io::Result<()> {
        match &self.file {
            Some(f) => f.as_file().set_permissions(p),
            None => Ok(()),
        }
    }

    /// Flushes the bytes to disk and renames the file over its target.
    pub fn commit(mut self) -> std::io::Result<()> {
        let Some(f) = self.file.take() else {
            return Ok(());
        };
        let result = f
            .as_file()
            .sync_all()
            .and_then(|_| f.persist(&self.target).map(drop).map_err(|e| e.error));
        // Renamed or removed (a failed persist drops, and so deletes, the temporary file).
        signals::unregister();
        result
    }
}

/// A new file at `path`, readable and writable by its owner only (as `tempfile` makes them),
/// failing if the name is taken.
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Appends to the temporary file.
impl Write for Staged {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match &mut self.file {
            Some(f) => f.write(bytes),
            None => Err(std::io::Error::other("already committed")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(f) = self.file.take() {
            drop(f);
            signals::unregister();
        }
    }
}

/// The signal handler that removes a pending temporary file.
///
/// The file's path is kept as a leaked C string behind an atomic pointer, because a signal
/// handler may do nothing but async-signal-safe calls: it loads the pointer, `unlink`s the
/// file, restores the signal's default action and raises the signal again, so the process
/// still ends as the signal demands (exit status "killed by SIGTERM").
pub mod signals {
    use std::path::Path;
    use std::sync::atomic::{AtomicPtr, Ordering};

    static PENDING: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());

    /// The signals after which a pending temporary file is removed.
    #[cfg(unix)]
    const SIGNALS: [libc::c_int; 3] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP];

    /// Installs the handler once per process, leaving alone any signal that is ignored (as
    /// under `nohup`) or already handled by someone else.
    pub fn install() {
        #[cfg(unix)]
        {
            static ONCE: std::sync::Once = std::sync::Once::new();
            ONCE.call_once(|| {
                for sig in SIGNALS {
                    // SAFETY: plain sigaction calls with zeroed, then filled, structs; the
                    // handler only makes async-signal-safe calls.
                    unsafe {
                        let mut old: libc::sigaction = std::mem::zeroed();
                        if libc::sigaction(sig, std::ptr::null(), &mut old) != 0
                            || old.sa_sigaction != libc::SIG_DFL
                        {
                            continue;
                        }
                        let mut new: libc::sigaction = std::mem::zeroed();
                        new.sa_sigaction = handler as extern "C" fn(libc::c_int) as usize;
                        libc::sigemptyset(&mut new.sa_mask);
                        libc::sigaction(sig, &new, std::ptr::null_mut());
                    }
                }
            });
        }
    }

    #[cfg(unix)]
    extern "C" fn handler(sig: libc::c_int) {
        remove_pending();
        // SAFETY: signal and raise are async-signal-safe.
        unsafe {
            libc::signal(sig, libc::SIG_DFL);
            libc::raise(sig);
        }
    }

    /// Registers `path` as the pending temporary file (one at a time: accord writes its
    /// outputs one after another).
    pub fn register(path: &Path) {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let Ok(c) = std::ffi::CString::new(path.as_os_str().as_bytes()) else {
                return;
            };
            let old = PENDING.swap(c.into_raw(), Ordering::SeqCst);
            free(old);
        }
        #[cfg(not(unix))]
        let _ = path;
    }

    /// Forgets the pending file (renamed into place or removed).
    pub fn unregister() {
        free(PENDING.swap(std::ptr::null_mut(), Ordering::SeqCst));
    }

    fn free(p: *mut libc::c_char) {
        if !p.is_null() {
            // SAFETY: every non-null pointer in PENDING came from CString::into_raw, and the
            // swap gave this one to us alone.
            drop(unsafe { std::ffi::CString::from_raw(p) });
        }
    }

    /// Removes the pending temporary file, if any: what the handler does. The path is
    /// taken out first, so the string is never freed while the handler reads it, and it is
    /// leaked rather than freed here (freeing is not async-signal-safe).
    pub fn remove_pending() {
        let p = PENDING.swap(std::ptr::null_mut(), Ordering::SeqCst);
        if !p.is_null() {
            #[cfg(unix)]
            // SAFETY: `p` is a NUL-terminated string from CString::into_raw, never freed
            // while it is in PENDING.
            unsafe {
                libc::unlink(p);
            }
        }
    }
}
