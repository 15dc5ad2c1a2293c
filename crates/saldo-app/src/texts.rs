//! The text catalogue: every text a person reads, in Danish (the default)
//! and English, as Project Fluent files in `locales/{da,en}/`: `saldo.ftl`
//! for the portal, till, office and admin, one file more per newer face.
//!
//! Ids are the old dotted page keys with `-` for `.` (`error.not_found` is
//! `error-not_found`). The files are embedded and parsed once; isolation
//! marks are off, as every text ends up in HTML or plain-text mail.

use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_bundle::concurrent::FluentBundle;
pub use fluent_bundle::FluentArgs;
use fluent_bundle::FluentResource;

pub use fluent_bundle::FluentValue as Value;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Da,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Da, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Da => "da",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "da" => Some(Lang::Da),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The Fluent source of this language: one file per face, read as one
    /// (so that the faces' texts grow apart without meeting in one file).
    pub fn source(self) -> &'static str {
        match self {
            Lang::Da => concat!(
                include_str!("../locales/da/saldo.ftl"),
                include_str!("../locales/da/shop.ftl"),
                include_str!("../locales/da/support.ftl"),
                include_str!("../locales/da/reports.ftl"),
            ),
            Lang::En => concat!(
                include_str!("../locales/en/saldo.ftl"),
                include_str!("../locales/en/shop.ftl"),
                include_str!("../locales/en/support.ftl"),
                include_str!("../locales/en/reports.ftl"),
            ),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

struct Catalogue {
    bundles: Vec<FluentBundle<FluentResource>>,
    /// Every message formatted without arguments, so a plain text is a `&'static str`.
    plain: Vec<HashMap<String, String>>,
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(load);

fn load() -> Catalogue {
    let mut bundles = Vec::new();
    let mut plain = Vec::new();
    for lang in Lang::ALL {
        let resource = FluentResource::try_new(lang.source().to_owned())
            .unwrap_or_else(|(_, errors)| panic!("locales/{}/saldo.ftl: {errors:?}", lang.code()));
        let ids: Vec<String> = message_ids(&resource);
        let locale = lang.code().parse().expect("a language code");
        let mut bundle = FluentBundle::new_concurrent(vec![locale]);
        bundle.set_use_isolating(false);
        bundle.add_resource(resource).expect("one catalogue file per language, no id twice");
        let mut texts = HashMap::new();
        for id in ids {
            if let Some(pattern) = bundle.get_message(&id).and_then(|m| m.value()) {
                let text = bundle.format_pattern(pattern, None, &mut Vec::new()).into_owned();
                texts.insert(id, text);
            }
        }
        bundles.push(bundle);
        plain.push(texts);
    }
    Catalogue { bundles, plain }
}

fn message_ids(resource: &FluentResource) -> Vec<String> {
    resource
        .entries()
        .filter_map(|entry| match entry {
            fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
            _ => None,
        })
        .collect()
}

/// The texts of one language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Texts {
    pub lang: Lang,
}

impl Texts {
    pub fn new(lang: Lang) -> Texts {
        Texts { lang }
    }

    /// The text `id` without arguments; an unknown id shows as `…` (tests keep
    /// every id the code uses in the catalogue).
    pub fn get(self, id: &str) -> &'static str {
        match CATALOGUE.plain[self.lang.index()].get(id) {
            Some(text) => text,
            None => {
                tracing::warn!(id, "text missing from the catalogue");
                "…"
            }
        }
    }

    /// The text `id` with its variables filled in.
    pub fn with(self, id: &str, args: &FluentArgs) -> String {
        let bundle = &CATALOGUE.bundles[self.lang.index()];
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            tracing::warn!(id, "text missing from the catalogue");
            return "…".to_owned();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(args), &mut errors).into_owned();
        if !errors.is_empty() {
            tracing::warn!(id, ?errors, "text formatted with errors");
        }
        // "kr." ending a sentence: the abbreviation's full stop ends it too,
        // so an amount in front of a sentence's stop never reads "kr..".
        text.replace("kr..", "kr.")
    }
}

impl Texts {
    /// An amount as this language writes it: `1.234,50 kr.` / `DKK 1,234.50`.
    /// The one place money becomes words, for pages and mails alike.
    pub fn money(self, amount: saldo_core::Money) -> String {
        match self.lang {
            Lang::Da => amount.display_da(),
            Lang::En => amount.display_en(),
        }
    }

    /// A day in words: `torsdag 3. december 2026` / `Thursday 3 December 2026`.
    pub fn date(self, day: jiff::civil::Date) -> String {
        const DAYS_DA: [&str; 7] = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"];
        const MONTHS_DA: [&str; 12] = [
            "januar",
            "februar",
            "marts",
            "april",
            "maj",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "december",
        ];
        match self.lang {
            Lang::Da => {
                let weekday = DAYS_DA[day.weekday().to_monday_zero_offset() as usize];
                let month = MONTHS_DA[(day.month() - 1) as usize];
                format!("{weekday} {}. {month} {}", day.day(), day.year())
            }
            Lang::En => day.strftime("%A %-d %B %Y").to_string(),
        }
    }

    /// A moment, in Danish time: `25.11.2026 kl. 12.30` / `25 Nov 2026, 12:30`.
    pub fn datetime(self, at: jiff::Timestamp) -> String {
        let local = at.to_zoned(saldo_core::day::local_tz());
        match self.lang {
            Lang::Da => local.strftime("%d.%m.%Y kl. %H.%M").to_string(),
            Lang::En => local.strftime("%-d %b %Y, %H:%M").to_string(),
        }
    }

    /// Names as a sentence lists them: `Ida`, `Ida og Oscar`, `Ida, Oscar og Alma`.
    pub fn list(self, names: &[&str]) -> String {
        match names {
            [] => String::new(),
            [one] => (*one).to_owned(),
            [rest @ .., last] => format!("{} {} {last}", rest.join(", "), self.get("word-and")),
        }
    }

    /// A recent moment as a phone shows it: `i dag 12.30`, `i går 12.30`,
    /// `3. dec. 12.30` this year, else the whole date.
    pub fn recently(self, at: jiff::Timestamp, now: jiff::Timestamp) -> String {
        let tz = saldo_core::day::local_tz();
        let (local, today) = (at.to_zoned(tz.clone()), now.to_zoned(tz).date());
        let day = local.date();
        let yesterday = today.yesterday().ok();
        match (self.lang, day) {
            (Lang::Da, d) if d == today => local.strftime("i dag %H.%M").to_string(),
            (Lang::En, d) if d == today => local.strftime("today %H:%M").to_string(),
            (Lang::Da, d) if Some(d) == yesterday => local.strftime("i går %H.%M").to_string(),
            (Lang::En, d) if Some(d) == yesterday => local.strftime("yesterday %H:%M").to_string(),
            (_, d) if d.year() != today.year() => self.datetime(at),
            (Lang::Da, d) => {
                const MONTHS: [&str; 12] =
                    ["jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."];
                format!("{}. {} {}", d.day(), MONTHS[(d.month() - 1) as usize], local.strftime("%H.%M"))
            }
            (Lang::En, _) => local.strftime("%-d %b %H:%M").to_string(),
        }
    }
}

/// Whether the catalogue has a message `id` in every language.
pub fn has(id: &str) -> bool {
    CATALOGUE.plain.iter().all(|texts| texts.contains_key(id))
}

/// Arguments for [`Texts::with`]: `args([("child", child.into())])`.
pub fn args<'a, const N: usize>(pairs: [(&'a str, Value<'a>); N]) -> FluentArgs<'a> {
    pairs.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

    use super::*;

    /// Each message and term of one language with the variables it refers to.
    fn shape(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
        let resource = fluent_syntax::parser::parse(lang.source())
            .unwrap_or_else(|(_, errors)| panic!("{}: {errors:?}", lang.code()));
        let mut shape = BTreeMap::new();
        for entry in resource.body {
            let (id, value, attributes) = match entry {
                Entry::Message(m) => (m.id.name.to_owned(), m.value, m.attributes),
                Entry::Term(t) => (format!("-{}", t.id.name), Some(t.value), t.attributes),
                _ => continue,
            };
            let mut vars = BTreeSet::new();
            if let Some(value) = &value {
                pattern_vars(value, &mut vars);
            }
            for attribute in &attributes {
                let mut attr_vars = BTreeSet::new();
                pattern_vars(&attribute.value, &mut attr_vars);
                vars.extend(attr_vars.into_iter().map(|v| format!("{}.{v}", attribute.id.name)));
            }
            assert!(shape.insert(id.clone(), vars).is_none(), "{id} twice in {}", lang.code());
        }
        shape
    }

    fn pattern_vars(pattern: &Pattern<&str>, vars: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let PatternElement::Placeable { expression } = element {
                expression_vars(expression, vars);
            }
        }
    }

    fn expression_vars(expression: &Expression<&str>, vars: &mut BTreeSet<String>) {
        match expression {
            Expression::Select { selector, variants } => {
                inline_vars(selector, vars);
                for variant in variants {
                    pattern_vars(&variant.value, vars);
                }
            }
            Expression::Inline(inline) => inline_vars(inline, vars),
        }
    }

    fn inline_vars(inline: &InlineExpression<&str>, vars: &mut BTreeSet<String>) {
        match inline {
            InlineExpression::VariableReference { id } => {
                vars.insert(id.name.to_owned());
            }
            InlineExpression::FunctionReference { arguments, .. }
            | InlineExpression::TermReference { arguments: Some(arguments), .. } => {
                for argument in &arguments.positional {
                    inline_vars(argument, vars);
                }
                for argument in &arguments.named {
                    inline_vars(&argument.value, vars);
                }
            }
            InlineExpression::Placeable { expression } => expression_vars(expression, vars),
            _ => {}
        }
    }

    /// A reference to a message that does not exist (`{last4}` for
    /// `{ $last4 }`) or a missing variable shows only when formatted.
    #[test]
    fn every_message_formats_without_errors_given_its_variables() {
        for lang in Lang::ALL {
            let bundle = &CATALOGUE.bundles[lang.index()];
            for (id, vars) in shape(lang).into_iter().filter(|(id, _)| !id.starts_with('-')) {
                let mut args = FluentArgs::new();
                for var in vars.iter().filter(|v| !v.contains('.')) {
                    args.set(var.clone(), Value::from("x"));
                }
                let pattern = bundle.get_message(&id).and_then(|m| m.value()).expect("a message with a value");
                let mut errors = Vec::new();
                bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{id} in {}: {errors:?}", lang.code());
            }
        }
    }

    #[test]
    fn both_languages_have_the_same_messages_with_the_same_variables() {
        let (da, en) = (shape(Lang::Da), shape(Lang::En));
        let only_da: Vec<&String> = da.keys().filter(|id| !en.contains_key(*id)).collect();
        let only_en: Vec<&String> = en.keys().filter(|id| !da.contains_key(*id)).collect();
        assert!(only_da.is_empty(), "in Danish but not in English: {only_da:?}");
        assert!(only_en.is_empty(), "in English but not in Danish: {only_en:?}");
        for (id, vars) in &da {
            assert_eq!(vars, &en[id], "{id} has other variables in Danish than in English");
        }
    }

    #[test]
    fn plain_texts_and_texts_with_arguments_and_plurals() {
        let (da, en) = (Texts::new(Lang::Da), Texts::new(Lang::En));
        assert_eq!(da.get("nav-login"), "Log ind");
        assert_eq!(en.get("nav-login"), "Log in");
        assert_eq!(en.get("no-such-text"), "…");
        assert!(has("decline-insufficient_funds"));
        let one = en.with("admin-imported", &args([("count", 1.into())]));
        let many = en.with("admin-imported", &args([("count", 12.into())]));
        assert_eq!((one.as_str(), many.as_str()), ("1 card is imported.", "12 cards are imported."));
        assert_eq!(da.with("admin-imported", &args([("count", 12.into())])), "12 kort er indlæst.");
        let fee = da.with("deposit-fee", &args([("fee", "1,00 kr.".into())]));
        assert_eq!(fee, "Gebyr pr. indbetaling: 1,00 kr. Det betales oven i beløbet.");
        let day = jiff::civil::date(2026, 12, 3);
        assert_eq!(
            (da.date(day), en.date(day)),
            ("torsdag 3. december 2026".into(), "Thursday 3 December 2026".into())
        );
        let min = da.with("deposit-below_min", &args([("min", "20,00 kr.".into())]));
        assert_eq!(min, "Det mindste beløb er 20,00 kr.");
    }
}
