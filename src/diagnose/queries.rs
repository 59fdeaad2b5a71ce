//! The Salesforce CLI commands that fetch everything a diagnosis needs about one cart,
//! for the agent to run or to send to the customer.

/// The fields diagnose reads, per object, in the order the queries select them.
pub const WEBCART: &str = "Id, Name, Status, OwnerId, AccountId, WebStoreId, TotalProductCount, TotalProductAmount, TotalChargeAmount, TotalTaxAmount, GrandTotalAmount, PaymentMethodId, PaymentGroupId, GuestEmailAddress, CreatedDate, LastModifiedDate";
/// CartCheckoutSession fields.
pub const SESSION: &str = "Id, WebCartId, State, NextState, IsProcessing, IsError, IsArchived, BackgroundOperationId, OrderId, OrderReferenceNumber, CreatedDate";
/// BackgroundOperation fields.
pub const OPERATION: &str =
    "Id, Name, Status, SubmittedAt, StartedAt, FinishedAt, ExpiresAt, Error";
/// WebStore fields.
pub const STORE: &str = "Id, Name, CheckoutTimeToLive, CheckoutValidAfterDate, GuestBuyerProfileId";
/// CartDeliveryGroup fields.
pub const DELIVERY_GROUP: &str = "Id, CartId, DeliverToStreet, DeliverToCity, DeliverToPostalCode, DeliverToCountry, DeliveryMethodId, CreatedDate";
/// PaymentAuthorization fields: PaymentGroupId relates it to the cart (WebCart.PaymentGroupId).
pub const PAYMENT: &str = "Id, Amount, Status, PaymentGroupId, PaymentMethodId, CreatedDate";
/// Order fields.
pub const ORDER: &str = "Id, OrderReferenceNumber, Status, CreatedDate";
/// CartValidationOutput fields.
pub const VALIDATION: &str =
    "Id, CartId, BackgroundOperationId, Level, Type, Message, RelatedEntityId, IsDismissed";

/// The commands, one per object, each writing a file named after it; `cart` must be
/// a checked 15- or 18-character id.
pub fn commands(cart: &str) -> String {
    let q =
        |file: &str, soql: String| format!("sf data query --json --query \"{soql}\" > {file}\n");
    let mut out = String::new();
    out.push_str(&format!(
        "# Everything `cartsim diagnose` needs about the cart {cart}.\n\
         # Run these with the Salesforce CLI against the customer's org (add --target-org ALIAS),\n\
         # or send them to the customer; --result-format csv instead of --json works too.\n\
         # Then: cartsim diagnose webcart.json sessions.json operations.json validation.json delivery-groups.json payments.json orders.json store.json user.json buyer-account.json buyer-groups.json store-groups.json\n\n"
    ));
    out.push_str("# The cart\n");
    out.push_str(&q(
        "webcart.json",
        format!("SELECT {WEBCART} FROM WebCart WHERE Id = '{cart}'"),
    ));
    out.push_str("# Its checkout sessions, archived ones included\n");
    out.push_str(&q(
        "sessions.json",
        format!("SELECT {SESSION} FROM CartCheckoutSession WHERE WebCartId = '{cart}' ORDER BY CreatedDate"),
    ));
    out.push_str(
        "# The background operations its sessions name (an id missing here has left the queue)\n",
    );
    out.push_str(&q(
        "operations.json",
        format!("SELECT {OPERATION} FROM BackgroundOperation WHERE Id IN (SELECT BackgroundOperationId FROM CartCheckoutSession WHERE WebCartId = '{cart}')"),
    ));
    out.push_str(
        "# If that query is refused (the Object Reference lists retrieve() for BackgroundOperation, not query();\n\
         # a query by Id works in practice, the semi-join above is unproven), retrieve each operation by id instead:\n",
    );
    out.push_str(&format!(
        "sf data query --result-format csv --query \"SELECT BackgroundOperationId FROM CartCheckoutSession WHERE WebCartId = '{cart}' AND BackgroundOperationId != null\" | tail -n +2 | tr -d '\"\\r' | while read -r id; do sf data get record -s BackgroundOperation -i \"$id\" --json > \"operation-$id.json\"; done\n"
    ));
    out.push_str("# The messages integrations left on the cart\n");
    out.push_str(&q(
        "validation.json",
        format!("SELECT {VALIDATION} FROM CartValidationOutput WHERE CartId = '{cart}'"),
    ));
    out.push_str("# Where the cart ships, its payment authorizations (related through WebCart.PaymentGroupId) and its order\n");
    out.push_str(&q(
        "delivery-groups.json",
        format!("SELECT {DELIVERY_GROUP} FROM CartDeliveryGroup WHERE CartId = '{cart}'"),
    ));
    out.push_str(&q(
        "payments.json",
        format!("SELECT {PAYMENT} FROM PaymentAuthorization WHERE PaymentGroupId IN (SELECT PaymentGroupId FROM WebCart WHERE Id = '{cart}')"),
    ));
    out.push_str(&q(
        "orders.json",
        format!("SELECT {ORDER} FROM Order WHERE Id IN (SELECT OrderId FROM CartCheckoutSession WHERE WebCartId = '{cart}')"),
    ));
    out.push_str("# Optional: the store's checkout time-to-live and guest profile, the buyer, and the account's store membership\n");
    out.push_str(&q(
        "store.json",
        format!("SELECT {STORE} FROM WebStore WHERE Id IN (SELECT WebStoreId FROM WebCart WHERE Id = '{cart}')"),
    ));
    out.push_str(&q(
        "user.json",
        format!("SELECT Id, Name, Username, AccountId, IsActive FROM User WHERE Id IN (SELECT OwnerId FROM WebCart WHERE Id = '{cart}')"),
    ));
    out.push_str(&q(
        "buyer-account.json",
        format!("SELECT Id, BuyerId, IsActive FROM BuyerAccount WHERE BuyerId IN (SELECT AccountId FROM WebCart WHERE Id = '{cart}')"),
    ));
    out.push_str(&q(
        "buyer-groups.json",
        format!("SELECT Id, BuyerId, BuyerGroupId FROM BuyerGroupMember WHERE BuyerId IN (SELECT AccountId FROM WebCart WHERE Id = '{cart}')"),
    ));
    out.push_str(&q(
        "store-groups.json",
        format!("SELECT Id, WebStoreId, BuyerGroupId FROM WebStoreBuyerGroup WHERE WebStoreId IN (SELECT WebStoreId FROM WebCart WHERE Id = '{cart}')"),
    ));
    out
}
