/**
 * One Stripe customer per user (`stripe_customers`): created on first need with an
 * idempotency key derived from the user (concurrent callers get the same customer),
 * then reused by every checkout and the billing portal.
 */
import { eq } from "drizzle-orm";
import { getDb, type Executor } from "@/db";
import { stripeCustomers } from "@/db/schema";
import { Stripe, getStripe, isStripeConfigured } from "@/lib/stripe";
import { PaymentProviderError } from "./checkout";
import { logger } from "@/lib/logger";

export async function findStripeCustomer(userUuid: string, db: Executor = getDb()): Promise<string | null> {
  const [row] = await db.select().from(stripeCustomers).where(eq(stripeCustomers.userUuid, userUuid));
  return row?.customerId ?? null;
}

/** The user's Stripe customer, created once (idempotency key per user: concurrent callers get the same one). */
export async function ensureStripeCustomer(user: { uuid: string; email: string }, db: Executor = getDb()): Promise<string> {
  const existing = await findStripeCustomer(user.uuid, db);
  if (existing) return existing;
  let customer: Stripe.Customer;
  try {
    customer = await getStripe().customers.create(
      { email: user.email, metadata: { user_uuid: user.uuid } },
      { idempotencyKey: `customer:${user.uuid}` },
    );
  } catch (error) {
    logger.error({ user: user.uuid, error: (error as Error).message }, "[payments] creating the Stripe customer failed");
    throw new PaymentProviderError();
  }
  await db.insert(stripeCustomers).values({ userUuid: user.uuid, customerId: customer.id }).onConflictDoNothing();
  return (await findStripeCustomer(user.uuid, db)) ?? customer.id;
}

export async function userOfCustomer(customerId: string | null, db: Executor): Promise<string | null> {
  if (!customerId) return null;
  const [row] = await db.select().from(stripeCustomers).where(eq(stripeCustomers.customerId, customerId));
  return row?.userUuid ?? null;
}

/**
 * Account deletion: the user's Stripe customer is deleted at Stripe, with the email and the
 * payment methods and addresses Checkout saved to it (Stripe also cancels a subscription that
 * was only set to end at the period's end). Stripe keeps the charges, invoices and refunds for
 * accounting, and `stripe_customers` keeps the id, so a later refund or dispute of an old
 * charge still finds its (anonymized) user. Already deleted at Stripe (404) counts as done.
 * Throws PaymentProviderError when Stripe cannot be reached: nothing local has changed yet.
 */
export async function deleteStripeCustomer(userUuid: string, db: Executor = getDb()): Promise<boolean> {
  const customerId = await findStripeCustomer(userUuid, db);
  if (!customerId) return false;
  if (!isStripeConfigured()) {
    logger.warn({ user: userUuid, customer: customerId }, "[payments] Stripe is not configured: the deleted account's Stripe customer was left at Stripe");
    return false;
  }
  try {
    await getStripe().customers.del(customerId);
    return true;
  } catch (error) {
    if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) return false;
    logger.error({ user: userUuid, customer: customerId, error: (error as Error).message }, "[payments] deleting the Stripe customer failed");
    throw new PaymentProviderError("could not reach Stripe to delete your billing details, try again shortly");
  }
}
