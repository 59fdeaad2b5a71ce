//! The macro behind every closed set of Salesforce names (statuses, fields, settings).

/// Defines a closed set of names that print and parse as Salesforce spells them.
macro_rules! named_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every value, in the order Salesforce lists them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Every value's name, in the same order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The name as Salesforce spells it.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Parses the name as Salesforce spells it.
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl $crate::engine::named::Named for $name {
            fn name(self) -> &'static str {
                self.as_str()
            }
            fn from_name(text: &str) -> Option<$name> {
                $name::parse(text)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// A value with a fixed set of names (every enum that `named_enum!` declares).
pub trait Named: Copy {
    /// The name.
    fn name(self) -> &'static str;
    /// The value with this name.
    fn from_name(text: &str) -> Option<Self>;
}
