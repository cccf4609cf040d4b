import type { ActionState } from "@/lib/http/action";
import type { ApiProblem } from "@/lib/http/api-client";

/** What a failed checkout is called (billing.buy.<key>), whether it came from a Server Action or a JSON route. */
export type CheckoutProblemKey = "invalid" | "noBillingAccount" | "signIn" | "alreadySubscribed" | "rateLimited" | "providerError" | "notConfigured" | "generic";

/** Words for a failed checkout, whether it came from a Server Action or a JSON route. */
export function problemKey(problem: ApiProblem): CheckoutProblemKey {
  switch (problem.status) {
    case 400:
      return problem.field === "customer" ? "noBillingAccount" : "invalid";
    case 401:
      return "signIn";
    case 409:
      return "alreadySubscribed";
    case 429:
      return "rateLimited";
    case 502:
      return "providerError";
    case 503:
      return problem.details?.reason === "stripe_not_configured" ? "notConfigured" : "generic";
    default:
      return "generic";
  }
}

/** The problem a form's state shows (not tied to one field), or null. */
export function stateProblem(state: ActionState | null): ApiProblem | null {
  return state?.formError ?? (state?.fieldErrors && !("quantity" in state.fieldErrors) ? { status: 400, code: 400, message: "", details: null } : null);
}
