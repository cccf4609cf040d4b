// Email domains refused at sign-up (throwaway-mail services), lower-case, e.g. "mailinator.com".
// Empty by default: fill it from a maintained list if credit farming with throwaway
// addresses becomes a problem. Checked by src/services/accounts/users.ts (signUpInput).
export const DISPOSABLE_EMAIL_DOMAINS: readonly string[] = [];
