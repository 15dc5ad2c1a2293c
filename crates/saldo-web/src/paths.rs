//! Where a handler sends the browser next, built from parts: ids are
//! percent-encoded into their path segment, and notices are catalogue keys
//! (never text from the request), so no id can break a redirect or put
//! words on a page.

use axum::response::{IntoResponse, Redirect, Response};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use saldo_core::ids::{ChildId, InstitutionId, ProductId, SalesPointId};

/// Everything but the characters RFC 3986 leaves unreserved in a segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// An address on this site, with what the page it leads to should say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct To {
    path: String,
    query: Option<(&'static str, &'static str)>,
    anchor: Option<String>,
}

fn segment(s: &str) -> String {
    utf8_percent_encode(s, SEGMENT).to_string()
}

impl To {
    fn path(path: String) -> To {
        To { path, query: None, anchor: None }
    }

    /// A path on this site that came from a request (a "back" address), or
    /// `/` when it is anything else: another host (`//x`, `/\t/x`, which a
    /// browser reads as `//x`), a control character, a header-breaking byte.
    pub fn same_site(path: &str) -> To {
        To::path(if crate::visitor::local_path(path) { path.to_owned() } else { "/".to_owned() })
    }

    /// The portal's overview.
    pub fn portal() -> To {
        To::path("/portal".into())
    }

    /// A child's page on the portal.
    pub fn child(child_id: &ChildId) -> To {
        To::path(format!("/portal/children/{}", segment(child_id.as_str())))
    }

    /// A child's relatives and invitations.
    pub fn relatives(child_id: &ChildId) -> To {
        To::path(format!("/portal/children/{}/relatives", segment(child_id.as_str())))
    }

    /// A child's payout (and closing) page.
    pub fn withdraw(child_id: &ChildId) -> To {
        To::path(format!("/portal/children/{}/withdraw", segment(child_id.as_str())))
    }

    /// A sales point's menu.
    pub fn products(sales_point_id: &SalesPointId) -> To {
        To::path(format!("/sales-points/{}/products", segment(sales_point_id.as_str())))
    }

    /// A child's webshop on the portal.
    pub fn shop(child_id: &ChildId) -> To {
        To::path(format!("/portal/children/{}/shop", segment(child_id.as_str())))
    }

    /// A sales point's webshop menu (the manager's plan).
    pub fn menu(sales_point_id: &SalesPointId) -> To {
        To::path(format!("/sales-points/{}/menu", segment(sales_point_id.as_str())))
    }

    /// An office's desk.
    pub fn office(institution_id: &InstitutionId) -> To {
        To::path(format!("/office/{}", segment(institution_id.as_str())))
    }

    /// The page says the change was made (a catalogue key).
    pub fn done(mut self, key: &'static str) -> To {
        self.query = Some(("done", key));
        self
    }

    /// The page says what was wrong with the form (a catalogue key).
    pub fn error(mut self, key: &'static str) -> To {
        self.query = Some(("error", key));
        self
    }

    /// Scrolled to a section of the page.
    pub fn at(mut self, anchor: &'static str) -> To {
        self.anchor = Some(anchor.to_owned());
        self
    }

    /// Scrolled to one product on a menu.
    pub fn at_product(mut self, product_id: &ProductId) -> To {
        self.anchor = Some(format!("product-{}", segment(product_id.as_str())));
        self
    }

    pub fn href(&self) -> String {
        let mut href = self.path.clone();
        if let Some((name, key)) = self.query {
            href.push_str(&format!("?{name}={}", segment(key)));
        }
        if let Some(anchor) = &self.anchor {
            href.push_str(&format!("#{anchor}"));
        }
        href
    }

    /// A 303 to here.
    pub fn redirect(&self) -> Response {
        Redirect::to(&self.href()).into_response()
    }
}

/// A 303 to an OpenID provider: its authorization or logout address, as the
/// OIDC client built it from the provider's discovery document (the only
/// addresses off this site Saldo sends a browser to, besides payment pages).
pub fn provider(url: &str) -> Response {
    Redirect::to(url).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_cannot_leave_its_segment_or_break_the_header() {
        assert_eq!(
            To::child(&ChildId::new("chd_01abc")).done("limit.saved").href(),
            "/portal/children/chd_01abc?done=limit.saved"
        );
        assert_eq!(To::child(&ChildId::new("../admin?x=1#y")).href(), "/portal/children/..%2Fadmin%3Fx%3D1%23y");
        assert_eq!(To::child(&ChildId::new("a\r\nSet-Cookie: x")).href(), "/portal/children/a%0D%0ASet-Cookie%3A%20x");
        assert_eq!(
            To::child(&ChildId::new("Åse")).error("deposit.bad_amount").at("agreements").href(),
            "/portal/children/%C3%85se?error=deposit.bad_amount#agreements"
        );
        assert_eq!(To::child(&ChildId::new("x")).redirect().status(), 303);
    }
}
