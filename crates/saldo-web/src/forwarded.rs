//! Who is asking. Rate limits and the audit log key on the client's address:
//! the TCP peer, unless the peer is one of the operator's reverse proxies
//! (`[http] trusted_proxies`). Then it is the nearest address in
//! `X-Forwarded-For` that is not a trusted proxy: each proxy appends the peer
//! it saw, so everything further left is only what the client claims.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use ipnet::IpNet;

use crate::AppState;

/// The client's address as Saldo believes it.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddress(pub IpAddr);

/// Puts the [`ClientAddress`] on every request that came over TCP.
pub async fn client_address(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let forwarded = request.headers().get_all("x-forwarded-for").iter();
        let client = believed(peer.ip(), forwarded, &state.app.settings.http.trusted_proxies);
        request.extensions_mut().insert(ClientAddress(client));
    }
    next.run(request).await
}

fn believed<'a>(peer: IpAddr, forwarded: impl Iterator<Item = &'a HeaderValue>, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<&str> = forwarded.filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(',')).map(str::trim).collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        // A hop that is not an address ends what can be believed.
        let Ok(ip) = hop.parse::<IpAddr>() else { break };
        client = ip;
        if !is_trusted(&ip) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn header(s: &str) -> HeaderValue {
        HeaderValue::from_str(s).unwrap()
    }

    #[test]
    fn only_a_trusted_proxy_is_believed() {
        let proxies: Vec<IpNet> = vec!["10.0.0.0/8".parse().unwrap()];
        let claimed = [header("203.0.113.7")];
        // Straight from the internet: the header is the client's own claim.
        assert_eq!(believed(ip("198.51.100.2"), claimed.iter(), &proxies), ip("198.51.100.2"));
        // Through the proxy: the address the proxy saw.
        assert_eq!(believed(ip("10.1.2.3"), claimed.iter(), &proxies), ip("203.0.113.7"));
        // A client's forged hop further left is not believed; the proxy's is.
        let forged = [header("1.2.3.4, 203.0.113.7")];
        assert_eq!(believed(ip("10.1.2.3"), forged.iter(), &proxies), ip("203.0.113.7"));
        // Two proxies deep, over two header lines.
        let two = [header("203.0.113.7"), header("10.9.9.9")];
        assert_eq!(believed(ip("10.1.2.3"), two.iter(), &proxies), ip("203.0.113.7"));
        // Garbage ends the chain at the last proxy.
        let garbage = [header("nonsense")];
        assert_eq!(believed(ip("10.1.2.3"), garbage.iter(), &proxies), ip("10.1.2.3"));
        // No proxies configured: never believed.
        assert_eq!(believed(ip("10.1.2.3"), claimed.iter(), &[]), ip("10.1.2.3"));
    }
}
