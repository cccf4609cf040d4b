// Placeholder until payments land: the credits page's "buy credits" section and order list.
export async function CreditsPurchase() {
  return null;
}
