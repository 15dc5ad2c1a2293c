//! The fourteen allergens EU food law (Regulation 1169/2011, annex II) says a
//! menu must declare: one list, used by the webshop's dishes, the allergens a
//! custodian marks for a child, and the kitchen's pick list.

use std::fmt;

/// One of the EU's fourteen allergens. The code is what is stored and sent;
/// the words a person reads are in the text catalogue (`allergen-<code>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Allergen {
    /// Cereals containing gluten (wheat, rye, barley, oats, spelt).
    Gluten,
    Crustaceans,
    Eggs,
    Fish,
    Peanuts,
    Soybeans,
    Milk,
    /// Tree nuts (almonds, hazelnuts, walnuts, …).
    Nuts,
    Celery,
    Mustard,
    Sesame,
    /// Sulphur dioxide and sulphites above 10 mg/kg.
    Sulphites,
    Lupin,
    Molluscs,
}

impl Allergen {
    pub const ALL: [Allergen; 14] = [
        Allergen::Gluten,
        Allergen::Crustaceans,
        Allergen::Eggs,
        Allergen::Fish,
        Allergen::Peanuts,
        Allergen::Soybeans,
        Allergen::Milk,
        Allergen::Nuts,
        Allergen::Celery,
        Allergen::Mustard,
        Allergen::Sesame,
        Allergen::Sulphites,
        Allergen::Lupin,
        Allergen::Molluscs,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Allergen::Gluten => "gluten",
            Allergen::Crustaceans => "crustaceans",
            Allergen::Eggs => "eggs",
            Allergen::Fish => "fish",
            Allergen::Peanuts => "peanuts",
            Allergen::Soybeans => "soybeans",
            Allergen::Milk => "milk",
            Allergen::Nuts => "nuts",
            Allergen::Celery => "celery",
            Allergen::Mustard => "mustard",
            Allergen::Sesame => "sesame",
            Allergen::Sulphites => "sulphites",
            Allergen::Lupin => "lupin",
            Allergen::Molluscs => "molluscs",
        }
    }

    pub fn parse(code: &str) -> Option<Allergen> {
        Allergen::ALL.into_iter().find(|a| a.code() == code.trim())
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of allergens: what a dish contains, or what a child must not have.
/// Stored as its codes joined by commas, in the list's order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Allergens(u16);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not one of the EU's fourteen allergens")]
pub struct UnknownAllergen(pub String);

impl Allergens {
    pub const NONE: Allergens = Allergens(0);

    pub fn of(list: &[Allergen]) -> Allergens {
        Allergens(list.iter().fold(0, |bits, a| bits | a.bit()))
    }

    /// Reads the stored form (`gluten,milk`); an empty text is no allergens.
    pub fn parse(text: &str) -> Result<Allergens, UnknownAllergen> {
        let mut set = Allergens::NONE;
        for code in text.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            let allergen = Allergen::parse(code).ok_or_else(|| UnknownAllergen(code.to_owned()))?;
            set.0 |= allergen.bit();
        }
        Ok(set)
    }

    pub fn contains(self, allergen: Allergen) -> bool {
        self.0 & allergen.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// What the two sets share, in the list's order: a dish's allergens the child must not have.
    pub fn shared_with(self, other: Allergens) -> Vec<Allergen> {
        Allergens(self.0 & other.0).list()
    }

    pub fn list(self) -> Vec<Allergen> {
        Allergen::ALL.into_iter().filter(|a| self.contains(*a)).collect()
    }
}

impl fmt::Display for Allergens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let codes: Vec<&str> = self.list().into_iter().map(Allergen::code).collect();
        f.write_str(&codes.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_fourteen_each_with_its_own_code() {
        let mut codes: Vec<&str> = Allergen::ALL.iter().map(|a| a.code()).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), 14);
        for a in Allergen::ALL {
            assert_eq!(Allergen::parse(a.code()), Some(a));
        }
    }

    #[test]
    fn a_set_reads_back_what_it_wrote_and_refuses_what_is_not_on_the_list() {
        let set = Allergens::parse(" milk, gluten ,").unwrap();
        assert_eq!(set.to_string(), "gluten,milk");
        assert_eq!(Allergens::parse(&set.to_string()), Ok(set));
        assert_eq!(Allergens::parse(""), Ok(Allergens::NONE));
        assert_eq!(Allergens::parse("gluten,kiwi"), Err(UnknownAllergen("kiwi".into())));
        let child = Allergens::of(&[Allergen::Milk, Allergen::Nuts]);
        assert_eq!(set.shared_with(child), vec![Allergen::Milk]);
        assert!(set.shared_with(Allergens::of(&[Allergen::Fish])).is_empty());
    }
}
