import { getTranslations } from "next-intl/server";
import { Alert } from "@/components/ui/alert";
import { bundleToResume } from "./resume";

/**
 * On the sign-up / sign-in page of a visitor who pressed Buy while signed out (their
 * target is `/credits?buy=<bundle>`): why they are here, and that the purchase goes on after.
 */
export async function PurchaseNote({ target, mode }: { target: string; mode: "signUp" | "signIn" }) {
  if (!bundleToResume(target)) return null;
  const t = await getTranslations("billing.auth");
  return (
    <Alert data-testid="purchase-note">{t(mode === "signUp" ? "signUpToBuy" : "signInToBuy")}</Alert>
  );
}
