//! Where a webhook may point: an `http(s)` URL without credentials in it, and — unless the
//! operator allows private targets — not at the server's own networks (loopback, private,
//! link-local, carrier-grade NAT), checked when the URL is saved and again on every connection,
//! after DNS, so a name that later resolves inward is refused too.

use domain::problem::FieldError;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Checks an endpoint's URL; the error names the `url` field.
pub fn check_url(url: &str, private_targets: bool) -> Result<(), FieldError> {
    let bad = |code: &str, message: &str| FieldError::new("url", code, message);
    let parsed = reqwest::Url::parse(url).map_err(|_| bad("url", "not a URL"))?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(bad("scheme", "must be an http(s) URL"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(bad(
            "credentials",
            "must not hold credentials: verify Kehu's messages by their signature",
        ));
    }
    let Some(host) = parsed.host() else {
        return Err(bad("url", "has no host"));
    };
    if !private_targets {
        let ip = match host {
            url::Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
            url::Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
            url::Host::Domain(d) if d.eq_ignore_ascii_case("localhost") => {
                Some(IpAddr::V4(Ipv4Addr::LOCALHOST))
            }
            url::Host::Domain(_) => None,
        };
        if ip.is_some_and(is_private) {
            return Err(bad(
                "private_target",
                "points at a private address, which this server does not allow",
            ));
        }
    }
    Ok(())
}

/// What a log may show of a URL: its scheme, host and port (a path or query may hold a token).
pub fn redacted(url: &str) -> String {
    reqwest::Url::parse(url).map_or_else(
        |_| "(invalid URL)".into(),
        |u| {
            let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
            format!("{}://{}{port}/…", u.scheme(), u.host_str().unwrap_or(""))
        },
    )
}

/// Whether `ip` is on a network a webhook must not reach by default.
pub fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_private_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_private_v4(v4),
            None => is_private_v6(v6),
        },
    }
}

fn is_private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        // 100.64.0.0/10, carrier-grade NAT; 0.0.0.0/8, "this network".
        || (a == 100 && (64..128).contains(&b))
        || a == 0
}

fn is_private_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        // fc00::/7 unique local, fe80::/10 link-local.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
}

/// Resolves names for the sender, dropping private addresses unless they are allowed.
pub struct GuardedResolver {
    pub private_targets: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow = self.private_targets;
        Box::pin(async move {
            let found: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0))
                .await?
                .filter(|a| allow || !is_private(a.ip()))
                .collect();
            if found.is_empty() {
                return Err(format!(
                    "{} has no address this server may send webhooks to",
                    name.as_str()
                )
                .into());
            }
            let addrs: Addrs = Box::new(found.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_http_without_credentials_and_public_unless_allowed() {
        for ok in [
            "https://erp.example.com/hooks",
            "http://example.com:8080/h?x=1",
            "https://8.8.8.8/h",
        ] {
            assert!(check_url(ok, false).is_ok(), "{ok}");
        }
        assert_eq!(
            check_url("ftp://e.com/h", false).expect_err("ftp").code,
            "scheme"
        );
        assert_eq!(
            check_url("https://a:b@e.com/h", false)
                .expect_err("creds")
                .code,
            "credentials"
        );
        assert_eq!(
            check_url("http://10.0.0.1/h", false)
                .expect_err("private")
                .code,
            "private_target"
        );
        for bad in [
            "ftp://example.com/h",
            "https://user:pw@example.com/h",
            "https://token@example.com/h",
            "not a url",
            "https://127.0.0.1/h",
            "http://localhost:9000/h",
            "http://10.1.2.3/h",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/h",
            "http://[fd00::1]/h",
            "http://[::ffff:192.168.1.1]/h",
            "http://100.100.1.1/h",
        ] {
            let e = check_url(bad, false).expect_err(bad);
            assert_eq!(e.field, "url");
        }
        assert!(check_url("http://127.0.0.1:9000/h", true).is_ok());
        assert!(check_url("https://u:p@127.0.0.1/h", true).is_err());
    }

    #[test]
    fn logs_show_no_path_or_query() {
        assert_eq!(
            redacted("https://hooks.example.com:8443/t/SECRET?token=abc"),
            "https://hooks.example.com:8443/…"
        );
    }
}
