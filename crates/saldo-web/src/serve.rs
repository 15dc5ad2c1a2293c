//! The accept loop: at most `[http] max_connections` served at once (more
//! wait in the kernel's listen queue), headers within a deadline so a slow
//! client cannot hold a connection open for nothing, and a graceful stop on
//! ctrl-c or SIGTERM that lets the requests in flight finish.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use saldo_app::{App, HttpSettings};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt;
use tower_http::timeout::TimeoutBody;

/// How long the requests in flight get to finish after a stop signal.
const DRAIN: Duration = Duration::from_secs(30);

/// Serves until ctrl-c or SIGTERM, then finishes the requests in flight.
/// The job runner (mail, provider callbacks) works beside it.
pub async fn serve(listener: TcpListener, app: App) -> std::io::Result<()> {
    let runner = saldo_app::jobs::Runner::new(app.clone()).map_err(std::io::Error::other)?;
    let jobs = tokio::spawn(runner.run_forever());
    let served = connections(listener, app, shutdown_signal()).await;
    jobs.abort();
    served
}

/// Serves the app's pages and API on the listener until `stop` resolves
/// (the tests serve this way too, with the jobs run by hand).
pub async fn connections(listener: TcpListener, app: App, stop: impl Future<Output = ()>) -> std::io::Result<()> {
    let http = app.settings.http.clone();
    accept_until_stopped(listener, crate::router(app), &http, stop).await
}

async fn accept_until_stopped(
    listener: TcpListener,
    router: Router,
    http: &HttpSettings,
    stop: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let slots = Arc::new(Semaphore::new(http.max_connections.max(1)));
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(Duration::from_secs(http.header_read_timeout_secs.max(1)));
    let body_timeout = Duration::from_secs(http.body_read_timeout_secs.max(1));
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => slot.map_err(std::io::Error::other)?,
            () = &mut stop => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let service = router.clone().map_request(move |mut request: hyper::Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
            request.map(|body| axum::body::Body::new(TimeoutBody::new(body_timeout, body)))
        });
        let connection =
            graceful.watch(builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service)));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended");
            }
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => tracing::warn!("requests still in flight after {DRAIN:?}; stopping anyway"),
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
