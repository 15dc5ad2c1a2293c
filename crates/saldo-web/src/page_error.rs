//! What a person sees when a page cannot do what they asked: what happened and
//! what to do, in their language, with the right status. The log gets the rest.
//!
//! One place maps every use case's error to a [`Problem`], and a problem to
//! its status and words. A handler returns `Err(PageError)` (most often by
//! `?`); the [`error_pages`] layer renders it in the layout the visitor's
//! page would have had.

use std::sync::{Arc, Mutex};

use askama::Template;
use axum::extract::Request;
use axum::http::header::COOKIE;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use saldo_app::auth::Refusal;
use saldo_app::cards::CardError;
use saldo_app::day_report::ReportError;
use saldo_app::family::FamilyError;
use saldo_app::login::LoginError;
use saldo_app::products::ProductError;
use saldo_app::relatives::RelativeError;
use saldo_app::shop::ShopError;
use saldo_app::support::SupportError;
use saldo_app::till_controls::ControlsError;
use saldo_app::till_setup::TillSetupError;
use saldo_app::StoreError;

use crate::cookies;
use crate::i18n::Tr;
use crate::page::{Message, Page};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    NotFound,
    Forbidden,
    /// Office staff reaching for another institution's children, orders or stock.
    OtherInstitution,
    Csrf,
    /// Text no database can store (a NUL character), in the address or a form.
    BadInput,
    /// A form that acts once was sent again while its first submit was still at work.
    AlreadySent,
    /// Too many login requests in a short while.
    RateLimited,
    /// The person cancelled at the MitID broker or the IdP.
    LoginCancelled,
    /// The login request is unknown, used, too old or from another browser,
    /// or the provider refused its code (expired, used).
    LoginExpired,
    /// The provider's answer failed its checks (signature, issuer, audience,
    /// expiry, nonce) or was an error.
    LoginFailed,
    /// The provider cannot be reached.
    LoginUnavailable,
    /// A step-up came back with a login older than 15 minutes.
    LoginNotFresh,
    /// The MitID login of a step-up is not the signed-in person's.
    LoginWrongPerson,
    /// A staff member whose groups give no role in Saldo.
    UnknownStaffGroups,
    /// The link that binds a MitID is used, expired or opened in another browser.
    BindingInvalid,
    /// A payout, a new relative or closing an account needs a recent login.
    StepUp,
    Internal,
}

impl Problem {
    fn status_and_key(self) -> (StatusCode, &'static str) {
        match self {
            Problem::NotFound => (StatusCode::NOT_FOUND, "error.not_found"),
            Problem::Forbidden => (StatusCode::FORBIDDEN, "error.forbidden"),
            Problem::OtherInstitution => (StatusCode::FORBIDDEN, "error.other_institution"),
            Problem::Csrf => (StatusCode::BAD_REQUEST, "error.csrf"),
            Problem::BadInput => (StatusCode::BAD_REQUEST, "error.bad_input"),
            Problem::AlreadySent => (StatusCode::CONFLICT, "error.already_sent"),
            Problem::RateLimited => (StatusCode::TOO_MANY_REQUESTS, "login.rate_limited"),
            Problem::LoginCancelled => (StatusCode::BAD_REQUEST, "error.login_cancelled"),
            Problem::LoginExpired => (StatusCode::BAD_REQUEST, "error.login_expired"),
            Problem::LoginFailed => (StatusCode::BAD_GATEWAY, "error.login_failed"),
            Problem::LoginUnavailable => (StatusCode::SERVICE_UNAVAILABLE, "error.login_unavailable"),
            Problem::LoginNotFresh => (StatusCode::BAD_REQUEST, "error.login_not_fresh"),
            Problem::LoginWrongPerson => (StatusCode::FORBIDDEN, "error.login_wrong_person"),
            Problem::UnknownStaffGroups => (StatusCode::FORBIDDEN, "error.unknown_groups"),
            Problem::BindingInvalid => (StatusCode::BAD_REQUEST, "error.binding_invalid"),
            Problem::StepUp => (StatusCode::FORBIDDEN, "error.step_up"),
            Problem::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "error.internal"),
        }
    }

    /// The way on from the error page: to try a login again, or home.
    fn way_on(self) -> (&'static str, &'static str) {
        match self {
            Problem::LoginCancelled
            | Problem::LoginExpired
            | Problem::LoginFailed
            | Problem::LoginUnavailable
            | Problem::LoginNotFresh
            | Problem::BindingInvalid
            | Problem::RateLimited => ("/login", "error.try_again"),
            Problem::UnknownStaffGroups => ("/staff/login", "error.try_again"),
            Problem::StepUp | Problem::LoginWrongPerson => ("/portal", "error.back_portal"),
            _ => ("/", "error.back"),
        }
    }
}

/// A page that could not be shown; rendered by [`error_pages`].
#[derive(Debug)]
pub struct PageError(pub Problem);

impl PageError {
    pub fn problem(&self) -> Problem {
        self.0
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let (status, key) = self.0.status_and_key();
        // The words in Danish, for a response no layer renders (it never
        // reaches a person that way: `error_pages` wraps every face).
        let mut response = (status, Tr::default().t(key)).into_response();
        response.extensions_mut().insert(self.0);
        response
    }
}

/// Logs what went wrong inside; the person sees only that it did.
pub fn internal(error: impl std::fmt::Display) -> PageError {
    tracing::error!(%error, "request failed");
    PageError(Problem::Internal)
}

/// At an office, a forbidden child, order or card is another institution's.
pub fn at_office(error: impl Into<PageError>) -> PageError {
    match error.into() {
        PageError(Problem::Forbidden) => PageError(Problem::OtherInstitution),
        other => other,
    }
}

impl From<Refusal> for PageError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::NotFound => PageError(Problem::NotFound),
            Refusal::Forbidden(_) => PageError(Problem::Forbidden),
            Refusal::StepUp => PageError(Problem::StepUp),
            Refusal::Store(e) => internal(e),
        }
    }
}

/// Every way a login over OpenID Connect can fail, as a page; the log gets the details.
impl From<LoginError> for PageError {
    fn from(error: LoginError) -> Self {
        let problem = match &error {
            LoginError::NotConfigured => Problem::NotFound,
            LoginError::Cancelled => Problem::LoginCancelled,
            LoginError::FlowUnknown | LoginError::CodeRejected(_) => Problem::LoginExpired,
            LoginError::ProviderError(_) | LoginError::TokenInvalid(_) => Problem::LoginFailed,
            LoginError::Unreachable(_) => Problem::LoginUnavailable,
            LoginError::NotFresh => Problem::LoginNotFresh,
            LoginError::UnknownGroups => Problem::UnknownStaffGroups,
            LoginError::WrongPerson => Problem::LoginWrongPerson,
            LoginError::BindingInvalid => Problem::BindingInvalid,
            LoginError::NotAnEmail => Problem::BadInput,
            LoginError::RateLimited => Problem::RateLimited,
            LoginError::Store(e) => return internal(e),
        };
        tracing::warn!(%error, "login refused");
        PageError(problem)
    }
}

impl From<StoreError> for PageError {
    fn from(error: StoreError) -> Self {
        internal(error)
    }
}

/// What is left of a use case's error once the page has shown its own cases
/// (a wrong amount, too little money) as words on the form.
macro_rules! refused_or_internal {
    ($($error:ident { $($not_found:pat),* }),+ $(,)?) => {$(
        impl From<$error> for PageError {
            fn from(error: $error) -> Self {
                #[allow(unreachable_patterns)]
                match error {
                    $error::Refused(refusal) => refusal.into(),
                    $($not_found => PageError(Problem::NotFound),)*
                    other => internal(other),
                }
            }
        }
    )+};
}

refused_or_internal! {
    FamilyError { FamilyError::UnknownCard },
    CardError { CardError::UnknownCard, CardError::UnknownOrder },
    ControlsError { ControlsError::NotBlockable(_) },
    RelativeError {},
    ProductError {},
    ReportError {},
    TillSetupError {},
    ShopError { ShopError::UnknownDish, ShopError::UnknownOrder },
}

/// Support's errors that are not words on its forms (those the console shows itself).
impl From<SupportError> for PageError {
    fn from(error: SupportError) -> Self {
        match error {
            SupportError::Refused(refusal) => refusal.into(),
            SupportError::Card(e) => e.into(),
            SupportError::Family(e) => e.into(),
            SupportError::Relative(e) => e.into(),
            SupportError::NoSuchAdult | SupportError::NotPending => PageError(Problem::NotFound),
            other => internal(other),
        }
    }
}

/// The visitor's page, left here by the `Visitor` extractor, for an error to
/// be shown in the same layout (language, navigation, sign-out).
#[derive(Clone, Default)]
pub struct PageSlot(Arc<Mutex<Option<Page>>>);

impl PageSlot {
    pub fn leave(&self, page: Page) {
        if let Ok(mut slot) = self.0.lock() {
            *slot = Some(page);
        }
    }

    fn take(&self) -> Option<Page> {
        self.0.lock().ok().and_then(|mut slot| slot.take())
    }
}

/// Renders every [`PageError`] as a page: what happened, and the way back.
pub async fn error_pages(mut request: Request, next: Next) -> Response {
    let slot = PageSlot::default();
    request.extensions_mut().insert(slot.clone());
    let lang = cookies::lang(request.headers().get_all(COOKIE).iter());
    let response = next.run(request).await;
    let Some(&problem) = response.extensions().get::<Problem>() else { return response };
    let page = slot.take().unwrap_or_else(|| Page::bare(Tr::new(lang.unwrap_or_default())));
    error_page(problem, page)
}

fn error_page(problem: Problem, page: Page) -> Response {
    let (status, key) = problem.status_and_key();
    let tr = page.tr;
    let (href, link) = problem.way_on();
    let message = Message {
        title: tr.t("error.title").into(),
        lines: vec![tr.t(key).into()],
        link_href: href.into(),
        link_text: tr.t(link).into(),
        p: page,
    };
    match message.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(_) => (status, tr.t(key)).into_response(),
    }
}

/// Renders a page, or the error page if the template fails.
pub fn render(page: impl Template) -> Response {
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => internal(format!("template failed: {e}")).into_response(),
    }
}
