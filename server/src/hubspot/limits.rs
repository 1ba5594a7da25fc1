//! Every bound hubspot-ls puts on what a server answer (or a file named in a command) can
//! make it do, in one place: past one of these it stops with an error that says so, or
//! clamps, rather than wait, allocate or write without end.

use std::time::Duration;

/// The largest local text file read (a config, a settings file, a `.gitignore`): a config of
/// 20,000 accounts is about 9 MB, so a larger file is not one the CLI's users write.
pub const MAX_TEXT_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The largest API answer read into memory. HubSpot's JSON answers (a page of files, a list
/// of secret names, a CRM page) are kilobytes; 32 MiB is far beyond any real one and still
/// harmless to hold, so more means a broken or hostile server.
pub const MAX_API_BODY_BYTES: u64 = 32 * 1024 * 1024;

/// The largest File Manager download, streamed to disk (never held in memory). Larger than
/// any file the File Manager serves, small enough that a server sending without end cannot
/// fill the disk before it is stopped.
pub const MAX_DOWNLOAD_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// The largest local file an upload reads: it is held in memory for its request (and a
/// retry), so a bigger one could take the editor's machine down with it.
pub const MAX_UPLOAD_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// The longest wait a `Retry-After` of a 429 is granted: HubSpot's limits are per second
/// (or ten seconds), so a longer ask (`1e20`, `2^64`) is clamped to this instead of
/// stalling a command for ages or overflowing a `Duration`.
pub const MAX_RETRY_WAIT: Duration = Duration::from_secs(10);

/// The wait for a 429 whose `Retry-After` is absent or not a usable number (`NaN`, `-1`).
pub const DEFAULT_RETRY_WAIT: Duration = Duration::from_secs(1);

/// 429 retries per call: enough to ride out a per-second limit, few enough that a limit that
/// holds fails the command within a minute.
pub const MAX_RATE_LIMIT_RETRIES: u32 = 3;

/// The longest lifetime an access token is trusted for, whatever the server says (an
/// `expires_in` of `1e15` or `i64::MAX` would overflow a date): HubSpot's tokens live 30
/// minutes, and a day later a refresh costs one request.
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// Same-origin redirects followed per request (cross-origin ones never are).
pub const MAX_REDIRECTS: usize = 5;

/// The findings whose quick fixes one code-action request computes. Each fix is checked by
/// reading the whole edited text again, so a selection over thousands of findings (a
/// flow-style config on one line) would cost a read per finding; the first ones are offered.
pub const MAX_FINDINGS_FIXED_PER_REQUEST: usize = 64;

/// The largest LSP message read from the client (a whole file of `MAX_TEXT_FILE_BYTES` with
/// every byte escaped fits); a larger one is skipped unread.
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024 * 1024;

/// The longest header line of an LSP message; the rest of a longer line is read as the next.
pub const MAX_HEADER_LINE_BYTES: usize = 8 * 1024;
