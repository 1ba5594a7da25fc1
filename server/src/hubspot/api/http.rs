//! The wire under the client: the redirect policy, answers read with a bound (into memory,
//! or streamed into a file), `Retry-After`, and transport failures as messages.

// ApiError carries the request's context into every message; these run once per answer, where
// a 160-byte error costs nothing next to the request, so it is not boxed.
#![allow(clippy::result_large_err)]

use std::time::Duration;

use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::client::ApiResponse;
use super::error::{ApiError, RequestContext};
use crate::hubspot::limits::{DEFAULT_RETRY_WAIT, MAX_REDIRECTS, MAX_RETRY_WAIT};

/// Redirects are followed only within one origin: a redirect elsewhere would carry the
/// request's body (the key of a key exchange, a secret's value) or its query there. reqwest
/// then hands back the 3xx itself, which [`Head::into_result`] turns into an error.
pub fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt.previous().last().is_some_and(|prev| prev.origin() == attempt.url().origin());
        if !same_origin {
            attempt.stop()
        } else if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else {
            attempt.follow()
        }
    })
}

/// An answer whose status and headers are in, its body not read yet.
pub struct Head {
    pub status: u16,
    pub retry_after: Option<String>,
    resp: reqwest::Response,
}

impl Head {
    pub fn new(resp: reqwest::Response) -> Head {
        let retry_after = header(&resp, reqwest::header::RETRY_AFTER);
        Head { status: resp.status().as_u16(), retry_after, resp }
    }

    /// A 3xx here is a redirect the policy refused to follow: an error naming where to.
    pub fn refuse_redirect(self, ctx: impl FnOnce() -> RequestContext) -> Result<Head, ApiError> {
        if !(300..400).contains(&self.status) {
            return Ok(self);
        }
        let to = header(&self.resp, reqwest::header::LOCATION)
            .and_then(|l| self.resp.url().join(&l).ok())
            .map(|u| u.origin().ascii_serialization());
        Err(ApiError::Redirected { ctx: ctx(), status: self.status, to })
    }

    /// The whole body, refused past `limit` bytes (by its announced length, or while reading).
    pub async fn read(self, limit: u64, ctx: impl Fn() -> RequestContext) -> Result<ApiResponse, ApiError> {
        let content_type = header(&self.resp, reqwest::header::CONTENT_TYPE);
        let content_disposition = header(&self.resp, reqwest::header::CONTENT_DISPOSITION);
        let (status, retry_after, mut resp) = (self.status, self.retry_after, self.resp);
        if resp.content_length().is_some_and(|n| n > limit) {
            return Err(too_large(ctx(), limit));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| transport_error(ctx(), e))? {
            if (bytes.len() + chunk.len()) as u64 > limit {
                return Err(too_large(ctx(), limit));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(ApiResponse { status, content_type, content_disposition, retry_after, bytes })
    }

    /// Streams the body into `out`, refused past `limit` bytes; returns its length.
    pub async fn stream_into<W: AsyncWrite + Unpin>(
        self,
        out: &mut W,
        limit: u64,
        ctx: impl Fn() -> RequestContext,
    ) -> Result<u64, ApiError> {
        let mut resp = self.resp;
        if resp.content_length().is_some_and(|n| n > limit) {
            return Err(too_large(ctx(), limit));
        }
        let local = |e: std::io::Error| ApiError::Local { message: format!("Cannot write the download: {e}.") };
        let mut total = 0u64;
        while let Some(chunk) = resp.chunk().await.map_err(|e| transport_error(ctx(), e))? {
            total += chunk.len() as u64;
            if total > limit {
                return Err(too_large(ctx(), limit));
            }
            out.write_all(&chunk).await.map_err(local)?;
        }
        out.flush().await.map_err(local)?;
        Ok(total)
    }
}

fn header(resp: &reqwest::Response, name: reqwest::header::HeaderName) -> Option<String> {
    resp.headers().get(name).and_then(|v| v.to_str().ok()).map(String::from)
}

fn too_large(ctx: RequestContext, limit: u64) -> ApiError {
    ApiError::BadResponse {
        ctx,
        detail: format!(
            "it is larger than {} MiB, the most hubspot-ls reads; it stopped reading there",
            limit / (1024 * 1024)
        ),
    }
}

/// How long a 429 asks to wait: `Retry-After` in seconds (HubSpot does not send the date
/// form), clamped to [`MAX_RETRY_WAIT`]; absent, negative or not a number: [`DEFAULT_RETRY_WAIT`].
pub fn retry_after(value: Option<&str>) -> Duration {
    match value.and_then(|s| s.trim().parse::<f64>().ok()) {
        Some(s) if s >= 0.0 => Duration::from_secs_f64(s.min(MAX_RETRY_WAIT.as_secs_f64())),
        _ => DEFAULT_RETRY_WAIT,
    }
}

/// A transport failure without its URL (which may carry `hapikey`).
pub fn transport_error(ctx: RequestContext, e: reqwest::Error) -> ApiError {
    let timed_out = e.is_timeout();
    let e = e.without_url();
    let mut detail = e.to_string();
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        let s_text = s.to_string();
        if !detail.contains(&s_text) {
            detail.push_str(": ");
            detail.push_str(&s_text);
        }
        src = s.source();
    }
    ApiError::Transport { ctx, detail, timed_out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_clamped_and_never_panics() {
        for absurd in ["1e20", "18446744073709551616", "1.8e308", "1e999", "inf"] {
            assert_eq!(retry_after(Some(absurd)), MAX_RETRY_WAIT, "{absurd}");
        }
        for unusable in ["NaN", "-1", "-inf", "soon", "Wed, 21 Oct 2015 07:28:00 GMT", ""] {
            assert_eq!(retry_after(Some(unusable)), DEFAULT_RETRY_WAIT, "{unusable}");
        }
        assert_eq!(retry_after(None), DEFAULT_RETRY_WAIT);
        assert_eq!(retry_after(Some(" 2 ")), Duration::from_secs(2));
        assert_eq!(retry_after(Some("0.5")), Duration::from_millis(500));
    }
}
