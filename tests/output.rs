//! Output files (`-o`): a regular file is replaced atomically, a symbolic link's target is
//! replaced (the link stays), devices and FIFOs are written through, failures name the
//! user's path and leave nothing behind, and a signal during the write removes the
//! temporary file. Through the library, and through the binary where it is cheap.

use std::io::Read;
use std::io::Write;
use std::os::unix::fs::FileTypeExt;
use std::path::Path;
use std::process::Command;

use accord::output::{Staged, check_destination, signals, write_output};

use crate::common::{accord, files_in, fixture, repo_file};

/// Makes a FIFO at `path`.
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success(), "mkfifo {}", path.display());
}

/// Reads the FIFO at `path` on a thread until its writer closes it.
fn read_fifo(path: &Path) -> std::thread::JoinHandle<Vec<u8>> {
    let path = path.to_path_buf();
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::fs::File::open(&path)
            .expect("open the FIFO for reading")
            .read_to_end(&mut bytes)
            .expect("read the FIFO");
        bytes
    })
}

#[test]
fn a_regular_file_is_replaced_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.txt");
    write_output(Some(&path), b"first\n").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"first\n");
    write_output(Some(&path), b"second, longer\n").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"second, longer\n");
    assert_eq!(files_in(dir.path()), ["out.txt"]);
}

#[test]
fn a_symbolic_link_keeps_pointing_at_its_replaced_target() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("results");
    std::fs::create_dir(&sub).unwrap();
    let target = sub.join("real.json");
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("latest.json");
    std::os::unix::fs::symlink("results/real.json", &link).unwrap();
    write_output(Some(&link), b"new").unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced by a file"
    );
    assert_eq!(std::fs::read(&target).unwrap(), b"new");
    // The temporary file went beside the target, and nothing is left of it.
    assert_eq!(files_in(&sub), ["real.json"]);
    assert_eq!(files_in(dir.path()), ["latest.json", "results"]);
    // A dangling link: its target is created.
    std::fs::remove_file(&target).unwrap();
    write_output(Some(&link), b"again").unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), b"again");
}

#[test]
fn a_fifo_is_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe");
    mkfifo(&fifo);
    let reader = read_fifo(&fifo);
    write_output(Some(&fifo), b"through the pipe\n").unwrap();
    // Checked before joining: had the FIFO been replaced, its reader would wait forever.
    assert!(
        std::fs::metadata(&fifo).unwrap().file_type().is_fifo(),
        "the FIFO was replaced by a regular file"
    );
    assert_eq!(reader.join().unwrap(), b"through the pipe\n");
    // The binary too.
    let reader = read_fifo(&fifo);
    let out = accord(&[
        "run",
        "scenarios/fearon.toml",
        "--rounds",
        "100",
        "--format",
        "json",
        "-o",
        fifo.to_str().unwrap(),
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    let bytes = reader.join().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON through the FIFO");
    assert_eq!(v["rounds"], 100);
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(files_in(dir.path()), ["pipe"]);
}

#[test]
fn devices_stay_devices() {
    write_output(Some(Path::new("/dev/null")), b"discarded").unwrap();
    let out = accord(&[
        "run",
        "scenarios/fearon.toml",
        "--rounds",
        "100",
        "-o",
        "/dev/null",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let m = std::fs::metadata("/dev/null").unwrap();
    assert!(
        m.file_type().is_char_device(),
        "/dev/null is no longer a device"
    );
}

#[test]
fn a_full_device_is_a_runtime_failure_naming_the_path() {
    let e = write_output(Some(Path::new("/dev/full")), b"x").unwrap_err();
    assert_eq!(e.exit_code(), 1);
    let text = format!("{:?}", miette::Report::new(e));
    assert!(
        text.contains("/dev/full") && text.contains("no space left on device"),
        "{text}"
    );
    let out = accord(&[
        "run",
        "scenarios/fearon.toml",
        "--rounds",
        "2000",
        "-o",
        "/dev/full",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("no space left on device"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("/dev/full"), "{}", out.stderr);
    let g = |f: &str| fixture(&format!("genius/fruit/{f}"));
    let out = accord(&[
        "import",
        "genius",
        g("domain.xml").to_str().unwrap(),
        g("buyer.xml").to_str().unwrap(),
        g("seller.xml").to_str().unwrap(),
        "-o",
        "/dev/full",
    ]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("no space left on device"),
        "{}",
        out.stderr
    );
}

#[test]
fn failures_name_the_users_path_never_the_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder/out.json");
    let e = write_output(Some(&missing), b"x").unwrap_err();
    let text = format!("{:?}", miette::Report::new(e));
    assert!(text.contains("no-such-folder/out.json"), "{text}");
    assert!(text.contains("does not exist"), "{text}");
    assert!(!text.contains(".accord-"), "{text}");
    // A folder in the way.
    let e = write_output(Some(dir.path()), b"x").unwrap_err();
    let text = format!("{:?}", miette::Report::new(e));
    assert!(
        text.contains("it is a folder") && !text.contains(".accord-"),
        "{text}"
    );
    // A read-only folder (only meaningful when not root: root writes anyway).
    let ro = dir.path().join("ro");
    std::fs::create_dir(&ro).unwrap();
    let mut p = std::fs::metadata(&ro).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut p, 0o555);
    std::fs::set_permissions(&ro, p).unwrap();
    if let Err(e) = write_output(Some(&ro.join("out.json")), b"x") {
        let text = format!("{:?}", miette::Report::new(e));
        assert!(
            text.contains("ro/out.json") && !text.contains(".accord-"),
            "{text}"
        );
    }
    assert!(files_in(&ro).iter().all(|f| !f.starts_with(".accord-")));
}

#[test]
fn destinations_are_checked_without_creating_anything() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("old.json"), "keep").unwrap();
    let fifo = d.join("pipe");
    mkfifo(&fifo);
    for ok in [
        d.join("new.json"),
        d.join("old.json"),
        fifo.clone(),
        "/dev/null".into(),
        "-".into(),
    ] {
        check_destination(&ok).unwrap_or_else(|e| panic!("{}: {e:?}", ok.display()));
    }
    for (bad, why) in [
        (d.join("missing/new.json"), "does not exist"),
        (d.join("old.json/x"), "not a directory"),
        (d.to_path_buf(), "it is a folder"),
    ] {
        let e = check_destination(&bad).unwrap_err();
        assert_eq!(e.exit_code(), 1);
        let text = format!("{:?}", miette::Report::new(e));
        assert!(text.contains(why), "{}: {text}", bad.display());
    }
    assert_eq!(files_in(d), ["old.json", "pipe"]);
    assert_eq!(std::fs::read_to_string(d.join("old.json")).unwrap(), "keep");
}

#[test]
fn the_signal_cleanup_removes_the_pending_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.json");
    let mut staged = Staged::create(&target).unwrap();
    staged.write_all(b"partial").unwrap();
    let temp = staged.temp_path().unwrap().to_path_buf();
    assert!(temp.exists());
    signals::remove_pending();
    assert!(
        !temp.exists(),
        "the handler's cleanup left {}",
        temp.display()
    );
    drop(staged);
    assert!(files_in(dir.path()).is_empty());
}

/// Environment variable that turns [`sigterm_child`] into the child of
/// [`a_signal_during_the_write_leaves_no_temporary_file`].
const CHILD: &str = "ACCORD_TEST_SIGTERM_CHILD";

/// In the child process only: stages a write in the folder `$ACCORD_TEST_SIGTERM_CHILD`,
/// then sends itself SIGTERM before committing, which must kill it.
#[test]
fn sigterm_child() {
    let Some(dir) = std::env::var_os(CHILD) else {
        return;
    };
    let mut staged = Staged::create(&Path::new(&dir).join("out.json")).unwrap();
    staged.write_all(&vec![b'x'; 1 << 20]).unwrap();
    let pid = std::process::id().to_string();
    Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    // The signal is delivered asynchronously; it ends the process within this wait.
    std::thread::sleep(std::time::Duration::from_secs(20));
    panic!("SIGTERM did not end the process");
}

#[test]
fn a_signal_during_the_write_leaves_no_temporary_file() {
    use std::os::unix::process::ExitStatusExt;
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "output::sigterm_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, dir.path())
        .current_dir(repo_file(""))
        .status()
        .expect("the test binary runs");
    assert_eq!(
        status.signal(),
        Some(15),
        "the child ends by SIGTERM: {status:?}"
    );
    assert_eq!(files_in(dir.path()), Vec::<String>::new());
}

#[test]
fn a_signal_during_a_run_of_the_binary_leaves_no_temporary_file() {
    // Whenever the signal lands (before, during or after the write), no hidden file stays.
    let dir = tempfile::tempdir().unwrap();
    for delay_ms in [0u64, 50, 150] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_accord"))
            .args([
                "run",
                repo_file("scenarios/fearon.toml").to_str().unwrap(),
                "--rounds",
                "200000",
                "-o",
                "out.txt",
            ])
            .current_dir(dir.path())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        child.wait().unwrap();
        assert!(
            files_in(dir.path())
                .iter()
                .all(|f| !f.starts_with(".accord-")),
            "{:?}",
            files_in(dir.path())
        );
    }
}
