//! Field names, typed per record kind, so that a misspelt field cannot compile and a
//! change can only name a field its record has. Each prints as Salesforce spells it.

named_enum! {
    /// WebCart fields an expectation, the log or the UI can read.
    CartField {
        /// WebCart.Name.
        Name => "Name",
        /// WebCart.Status.
        Status => "Status",
        /// WebCart.WebStoreId.
        WebStoreId => "WebStoreId",
        /// WebCart.AccountId.
        AccountId => "AccountId",
        /// WebCart.OwnerId.
        OwnerId => "OwnerId",
        /// WebCart.TotalProductCount.
        TotalProductCount => "TotalProductCount",
        /// WebCart.UniqueProductCount.
        UniqueProductCount => "UniqueProductCount",
        /// WebCart.TotalProductAmount.
        TotalProductAmount => "TotalProductAmount",
        /// WebCart.GuestEmailAddress.
        GuestEmailAddress => "GuestEmailAddress",
        /// WebCart.TotalChargeAmount: the selected delivery method's charge.
        TotalChargeAmount => "TotalChargeAmount",
        /// WebCart.TotalTaxAmount.
        TotalTaxAmount => "TotalTaxAmount",
        /// WebCart.GrandTotalAmount: product + charge + tax.
        GrandTotalAmount => "GrandTotalAmount",
        /// Simulator-only: the cart's version behind optimistic concurrency (the
        /// concurrency guide's "version"; not a queryable field).
        Version => "~version",
    }
}

named_enum! {
    /// CartCheckoutSession fields.
    SessionField {
        /// WebCartId.
        WebCartId => "WebCartId",
        /// State.
        State => "State",
        /// NextState.
        NextState => "NextState",
        /// IsProcessing.
        IsProcessing => "IsProcessing",
        /// IsError.
        IsError => "IsError",
        /// IsArchived.
        IsArchived => "IsArchived",
        /// BackgroundOperationId.
        BackgroundOperationId => "BackgroundOperationId",
        /// OrderId.
        OrderId => "OrderId",
        /// OrderReferenceNumber: set when an `lwr` store's place order accepts the order.
        OrderReferenceNumber => "OrderReferenceNumber",
        /// Simulator-only: Place Order V2's prepare succeeded since the last calculation.
        Prepared => "~prepared",
    }
}

named_enum! {
    /// BackgroundOperation fields.
    OperationField {
        /// Name.
        Name => "Name",
        /// Status.
        Status => "Status",
        /// Error.
        Error => "Error",
        /// SubmittedAt, in ticks.
        SubmittedAt => "SubmittedAt",
        /// StartedAt, in ticks.
        StartedAt => "StartedAt",
        /// FinishedAt, in ticks.
        FinishedAt => "FinishedAt",
        /// ExpiresAt, in ticks: when a finished operation leaves the queue.
        ExpiresAt => "ExpiresAt",
        /// Simulator-only: the calculator a Cart Calculate is running now.
        Calculator => "~calculator",
    }
}

named_enum! {
    /// CartDeliveryGroup fields.
    DeliveryGroupField {
        /// CartId.
        CartId => "CartId",
        /// DeliverToStreet.
        DeliverToStreet => "DeliverToStreet",
        /// DeliverToCity.
        DeliverToCity => "DeliverToCity",
        /// DeliverToPostalCode.
        DeliverToPostalCode => "DeliverToPostalCode",
        /// DeliverToCountry.
        DeliverToCountry => "DeliverToCountry",
        /// DeliveryMethodId.
        DeliveryMethodId => "DeliveryMethodId",
    }
}

impl DeliveryGroupField {
    /// The address fields, which a PATCH with an address sets together.
    pub const ADDRESS: &'static [DeliveryGroupField] = &[
        DeliveryGroupField::DeliverToStreet,
        DeliveryGroupField::DeliverToCity,
        DeliveryGroupField::DeliverToPostalCode,
        DeliveryGroupField::DeliverToCountry,
    ];
}

named_enum! {
    /// PaymentAuthorization fields.
    PaymentField {
        /// Amount.
        Amount => "Amount",
        /// Status.
        Status => "Status",
    }
}

/// A field name that the simulator shows but no Salesforce object has: it starts
/// with `~`.
pub fn is_simulator_only(name: &str) -> bool {
    name.starts_with('~')
}

/// Where the data of a field that earlier releases showed, and that is not a field of
/// its object, really lives; `None` for any other name.
pub fn removed_field(object: &str, name: &str) -> Option<&'static str> {
    Some(match (object, name) {
        ("WebCart", "Version") => {
            "WebCart has no Version field: the cart's version behind optimistic concurrency is not queryable; it is the simulator-only `~version`"
        }
        ("CartCheckoutSession", "ShippingAddress") => {
            "CartCheckoutSession has no ShippingAddress: the address lives on the checkout's CartDeliveryGroup (DeliverToStreet, DeliverToCity, DeliverToPostalCode, DeliverToCountry), e.g. `cdg-1.DeliverToCity`"
        }
        ("CartCheckoutSession", "DeliveryMethod") => {
            "CartCheckoutSession has no DeliveryMethod: it lives on the checkout's CartDeliveryGroup as DeliveryMethodId, e.g. `cdg-1.DeliveryMethodId`"
        }
        ("CartCheckoutSession", "ContactInfo") => {
            "CartCheckoutSession has no ContactInfo: a guest's contact e-mail lives on the cart as WebCart.GuestEmailAddress"
        }
        ("CartCheckoutSession", "PaymentStatus") => {
            "CartCheckoutSession has no PaymentStatus: each payment is a PaymentAuthorization (pa-1, ...) with Amount and Status (Processed, Failed, Canceled)"
        }
        _ => return None,
    })
}

named_enum! {
    /// CartValidationOutput fields.
    ValidationField {
        /// CartId.
        CartId => "CartId",
        /// BackgroundOperationId.
        BackgroundOperationId => "BackgroundOperationId",
        /// Level.
        Level => "Level",
        /// Type.
        Type => "Type",
        /// Message.
        Message => "Message",
        /// RelatedEntityId.
        RelatedEntityId => "RelatedEntityId",
        /// IsDismissed.
        IsDismissed => "IsDismissed",
    }
}

named_enum! {
    /// Buyer fields a world edit changes.
    BuyerField {
        /// The permissions the buyer holds.
        Permissions => "permissions",
        /// The account the buyer acts for.
        EffectiveAccount => "effective_account",
    }
}

named_enum! {
    /// Account fields a world edit changes.
    AccountField {
        /// The stores the account is a buyer member of.
        Stores => "stores",
    }
}

/// A value the simulator shows that no Salesforce object holds as a field.
#[derive(Debug, Clone, Copy)]
pub struct SimulatorOnly {
    /// The object it is shown on.
    pub object: &'static str,
    /// Its name: `~version`, or how the UI draws it.
    pub name: &'static str,
    /// What it is.
    pub meaning: &'static str,
    /// Where the data really lives in an org, or that it is nowhere to be queried.
    pub in_an_org: &'static str,
}

/// Every simulator-only value, for `cartsim rules` and the documentation. Expectations
/// name the ones with a `~` (`"cart-1.~version": 2`); the UI and transcripts draw them
/// in their own style.
pub const SIMULATOR_ONLY: &[SimulatorOnly] = &[
    SimulatorOnly {
        object: "WebCart",
        name: "~version",
        meaning: "the version behind optimistic concurrency: every save increments it; an operation that read an older one fails (\"cart is currently in use\")",
        in_an_org: "not queryable: the platform keeps it internally (commerce guide: prevent concurrency issues); LastModifiedDate is the nearest field",
    },
    SimulatorOnly {
        object: "BackgroundOperation",
        name: "~calculator",
        meaning: "the calculator a Cart Calculate is running now (Pricing, Promotions, Inventory, Shipping, Post Shipping, Tax)",
        in_an_org: "not recorded: the orchestrator runs the calculators inside one BackgroundOperation; only its Status and the CartValidationOutput rows (Type) show where it stopped",
    },
    SimulatorOnly {
        object: "CartCheckoutSession",
        name: "~prepared",
        meaning: "Place Order V2's prepare succeeded since the checkout last calculated",
        in_an_org: "not a field: the storefront knows it from prepare's 200 OK",
    },
    SimulatorOnly {
        object: "BackgroundOperation",
        name: "progress bar, ticks done / ticks in all",
        meaning: "how much of the operation's simulated work is done",
        in_an_org: "not recorded: real operations take real time; SubmittedAt, StartedAt and FinishedAt are the fields (in ticks here)",
    },
    SimulatorOnly {
        object: "WebStore",
        name: "store settings (template, checkout_session, cancel_requirements, ...)",
        meaning: "the readings of the sources this store follows, and its template",
        in_an_org: "not fields: each is a reading of the documentation (cartsim rules, first table); the org's behaviour is fixed by its release and configuration",
    },
    SimulatorOnly {
        object: "CartCheckoutSession",
        name: "flow strip (now / then)",
        meaning: "where an aura checkout is in the store's checkout flow",
        in_an_org: "State and NextState are the fields; the flow itself is in Setup (Flows)",
    },
];
