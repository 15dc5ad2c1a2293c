//! What every page's layout needs, and the plain message page.

use askama::Template;

use crate::i18n::Tr;

/// The layout's share of every page.
#[derive(Clone)]
pub struct Page {
    pub tr: Tr,
    pub csrf: String,
    pub signed_in: Option<String>,
    /// Where a signed-in person works: the portal, the office, the operator's
    /// pages, as (address, catalogue key).
    pub links: Vec<(&'static str, &'static str)>,
    pub back: String,
    pub notice: Option<String>,
    /// The sandbox takes payments: the operator's pages say so on top.
    pub sandbox: bool,
    /// This rendering's one-time key, for forms that move money or change a
    /// card (`<input type="hidden" name="once">`; see [`crate::once`]).
    pub once: String,
}

impl Page {
    /// The layout for someone Saldo knows nothing about yet.
    pub fn bare(tr: Tr) -> Page {
        Page {
            tr,
            csrf: String::new(),
            signed_in: None,
            links: Vec::new(),
            back: "/".into(),
            notice: None,
            sandbox: false,
            once: String::new(),
        }
    }
}

/// A page with a heading, a few lines and one way on.
#[derive(Template)]
#[template(path = "message.html")]
pub struct Message {
    pub p: Page,
    pub title: String,
    pub lines: Vec<String>,
    pub link_href: String,
    pub link_text: String,
}
