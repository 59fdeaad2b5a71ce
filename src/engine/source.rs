//! Provenance: where a rule, an error code or a store setting's reading comes from. One
//! type for the rules table, the error catalogue and the readings, so that the rules
//! table, the handouts, the log and the refusal popup word every source alike.

/// Where a rule, an error code or a reading comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// Salesforce documentation; the text names the page.
    Documented(&'static str),
    /// Salesforce's own sample code (the quickstart, commerce-extensibility or the
    /// open-source storefront components); the text names the repository and file.
    Sample(&'static str),
    /// Inferred from Salesforce's sample code rather than stated in the docs; the text
    /// names the sample and what it implies.
    Inferred(&'static str),
    /// The docs give no code for this condition; the code of the nearest sibling action
    /// (named here) is borrowed.
    Borrowed(&'static str),
    /// The simulator's own choice where the sources are silent; the text says why.
    Choice(&'static str),
    /// Set by the scenario itself (a world edit or an injected fault), not a Salesforce rule.
    Scenario,
}

impl Source {
    /// The short tag shown after a change or a refusal: `documented`, `sample`,
    /// `inferred`, `borrowed`, `choice` or `scenario`.
    pub fn tag(self) -> &'static str {
        match self {
            Source::Documented(_) => "documented",
            Source::Sample(_) => "sample",
            Source::Inferred(_) => "inferred",
            Source::Borrowed(_) => "borrowed",
            Source::Choice(_) => "choice",
            Source::Scenario => "scenario",
        }
    }

    /// The reference or reason behind the tag.
    pub fn reference(self) -> &'static str {
        match self {
            Source::Documented(r)
            | Source::Sample(r)
            | Source::Inferred(r)
            | Source::Borrowed(r)
            | Source::Choice(r) => r,
            Source::Scenario => "the scenario file",
        }
    }

    /// True when Salesforce's documentation or sample code stands behind the rule.
    pub fn is_salesforce(self) -> bool {
        matches!(
            self,
            Source::Documented(_) | Source::Sample(_) | Source::Inferred(_)
        )
    }

    /// A cell of the rules table (Markdown): the tag, emphasised where the simulator
    /// departs from a documented source, and the reference.
    pub fn table_cell(self) -> String {
        match self {
            Source::Documented(r) => format!("documented: {r}"),
            Source::Sample(r) => format!("sample: {r}"),
            Source::Inferred(r) => format!("**inferred**: {r}"),
            Source::Borrowed(r) => format!("**borrowed** from {r}"),
            Source::Choice(r) => format!("**choice**: {r}"),
            Source::Scenario => {
                "scenario: set by the file or the user, not a Salesforce rule".to_string()
            }
        }
    }

    /// The tag and reference in brackets, after a requirement that did not hold:
    /// `[documented: PAGE]`, `[borrowed from ACTION]`.
    pub fn bracketed(self) -> String {
        match self {
            Source::Borrowed(r) => format!("[borrowed from {r}]"),
            Source::Scenario => "[scenario]".to_string(),
            other => format!("[{}: {}]", other.tag(), other.reference()),
        }
    }

    /// The source explained in a sentence, for the refusal popup.
    pub fn explained(self) -> String {
        match self {
            Source::Documented(r) => format!("documented by Salesforce ({r})"),
            Source::Sample(r) => format!("from Salesforce's sample code ({r})"),
            Source::Inferred(r) => format!("inferred from Salesforce's sample code ({r})"),
            Source::Borrowed(r) => {
                format!("the docs give no code here; cartsim borrows the code of {r}")
            }
            Source::Choice(r) => format!("the simulator's own choice: {r}"),
            Source::Scenario => "set by the scenario, not a Salesforce rule".to_string(),
        }
    }

    /// The source in a sentence, for handouts: `documented (PAGE)`.
    pub fn prose(self) -> String {
        match self {
            Source::Documented(r) => format!("documented ({r})"),
            Source::Sample(r) => format!("Salesforce sample ({r})"),
            Source::Inferred(r) => format!("inferred from Salesforce's sample ({r})"),
            Source::Borrowed(r) => format!("borrowed from {r}"),
            Source::Choice(r) => format!("the simulator's choice: {r}"),
            Source::Scenario => "set by the scenario".to_string(),
        }
    }
}
