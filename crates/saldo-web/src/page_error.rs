//! What a person sees when a page cannot do what they asked: what happened and
//! what to do, in their language, with the right status. The log gets the rest.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use saldo_app::auth::Refusal;

use crate::i18n::Tr;
use crate::page::{Message, Page};

#[derive(Debug, Clone)]
pub enum Problem {
    NotFound,
    Forbidden,
    /// Office staff reaching for another institution's children, orders or stock.
    OtherInstitution,
    Csrf,
    Internal,
}

pub struct PageError {
    pub problem: Problem,
    pub tr: Tr,
    /// Boxed: a page's layout data is large, and errors travel in every `Result`.
    pub page: Box<Page>,
}

impl PageError {
    /// For failures before anything about the visitor is known.
    pub fn internal() -> PageError {
        let tr = Tr::default();
        PageError {
            problem: Problem::Internal,
            tr,
            page: Box::new(Page {
                tr,
                csrf: String::new(),
                signed_in: None,
                links: Vec::new(),
                back: "/".into(),
                notice: None,
            }),
        }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, key) = match self.problem {
            Problem::NotFound => (StatusCode::NOT_FOUND, "error.not_found"),
            Problem::Forbidden => (StatusCode::FORBIDDEN, "error.forbidden"),
            Problem::OtherInstitution => (StatusCode::FORBIDDEN, "error.other_institution"),
            Problem::Csrf => (StatusCode::BAD_REQUEST, "error.csrf"),
            Problem::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "error.internal"),
        };
        let page = Message {
            title: self.tr.t("error.title").into(),
            lines: vec![self.tr.t(key).into()],
            link_href: "/".into(),
            link_text: self.tr.t("error.back").into(),
            p: *self.page,
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, self.tr.t(key)).into_response(),
        }
    }
}

/// Renders a page, or the error page if the template fails.
pub fn render(page: impl Template) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            PageError::internal().into_response()
        }
    }
}

/// Maps a use case's refusal to what the person sees.
pub fn refusal(visitor: &crate::visitor::Visitor, refusal: Refusal) -> PageError {
    match refusal {
        Refusal::NotFound => visitor.fail(Problem::NotFound),
        Refusal::Forbidden(_) => visitor.fail(Problem::Forbidden),
        Refusal::Store(e) => {
            tracing::error!(error = %e, "database failed");
            visitor.fail(Problem::Internal)
        }
    }
}

pub fn internal(visitor: &crate::visitor::Visitor, error: impl std::fmt::Display) -> PageError {
    tracing::error!(%error, "request failed");
    visitor.fail(Problem::Internal)
}
