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
        /// The cart's version (optimistic concurrency; not an API field).
        Version => "Version",
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
    }
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
