//! Every request gets an answer. tower-lsp-server drops the "method not found" answer of any
//! `$/` method, which is right for notifications (`$/setTrace`, ...) but leaves a client that
//! sent a `$/` *request* waiting forever: LSP defines no such request, so it is answered here.

use std::task::{Context, Poll};

use futures::future::{self, Either};
use tower_lsp_server::jsonrpc::{Error, Request, Response};
use tower_service::Service;

pub struct Answered<S>(pub S);

impl<S> Service<Request> for Answered<S>
where
    S: Service<Request, Response = Option<Response>>,
{
    type Response = Option<Response>;
    type Error = S::Error;
    type Future = Either<future::Ready<Result<Option<Response>, S::Error>>, S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        match req.id() {
            Some(id) if req.method().starts_with("$/") => {
                let error = Error::method_not_found();
                Either::Left(future::ready(Ok(Some(Response::from_error(id.clone(), error)))))
            }
            _ => Either::Right(self.0.call(req)),
        }
    }
}
