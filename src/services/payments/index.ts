/**
 * Payments with Stripe (docs/architecture.md "Payments"; docs/payments.md).
 *
 *   checkout.ts        validate a purchase, write the order, create its Checkout Session
 *   fulfilment.ts      a paid session -> one grant, exactly once; mismatches -> needs_review;
 *                      success page, order history
 *   refunds.ts         partial/full refunds and disputes, in proportion, keyed
 *   invoice-refunds.ts the same for subscription invoices (found through invoice payments)
 *   reconciliation.ts  fulfils what the webhook missed, from Stripe's lists
 *   events.ts          the webhook's dispatcher
 *
 * What holds:
 * 1. An order is written before Stripe is called, so every Checkout Session we
 *    create has a row to reconcile against (`order_no` in its metadata and
 *    client_reference_id). The Stripe call carries an idempotency key derived
 *    from the order, so an SDK retry never creates a second session.
 * 2. Fulfilment is one transaction: a conditional UPDATE moves the order to
 *    `paid` (only one caller can win it) and the same transaction grants the
 *    credits with the key `order_pay:<order_no>`. Webhook replays, concurrent
 *    deliveries, out-of-order events, the success page and reconciliation all call
 *    the same `fulfilOrder`, so an order is credited exactly once.
 * 3. A paid event is cross-checked against the order: amount, currency and session
 *    id must match what we created, or nothing is granted and the order goes to
 *    `needs_review` with an operator alert.
 * 4. Refunds take back credits in proportion to the money refunded, disputes take
 *    back what is unspent until they are won; every movement is keyed, so once.
 */
export * from "./checkout";
export * from "./fulfilment";
export * from "./refunds";
export * from "./invoice-refunds";
export * from "./events";
export * from "./reconciliation";
export * from "./customers";
export * from "./subscriptions";
