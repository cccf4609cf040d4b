/** The e2e server's one admin (ADMIN_EMAILS): the specs that visit the operator console sign up as it. */
export const E2E_ADMIN_EMAIL = "e2e-admin@example.com";

/** Environment of the app server the browser tests run against. */
export const E2E_ENV: Record<string, string> = {
  AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-0123456789",
  STORAGE_SIGNING_SECRET: "e2e-storage-secret-e2e-storage-secret-0123456789",
  SIGNIN_RATE_LIMIT_PER_EMAIL: "1000",
  SIGNIN_RATE_LIMIT_PER_IP: "1000",
  SIGNIN_RATE_LIMIT_PER_ACCOUNT: "100000",
  SIGNUP_RATE_LIMIT_PER_IP: "100000",
  SIGNUP_RATE_LIMIT_GLOBAL: "100000",
  TASK_RATE_LIMIT_PER_MINUTE: "1000",
  // Long enough to watch the progress bar move, short enough for a quick run.
  TEXT2VIDEO_MOCK_DELAY_MS: "6000",
  TEXT2IMAGE_MOCK_DELAY_MS: "4000",
  IMAGE2VIDEO_MOCK_DELAY_MS: "5000",
  IMAGE_UPSCALE_MOCK_DELAY_MS: "2000",
  SPEECH2TEXT_MOCK_DELAY_MS: "2000",
  TASK_SWEEP_INTERVAL_MS: "500",
  // A chat reply of 40 tokens, one every 250 ms: long enough to press Stop in the middle.
  CHAT_MOCK_TOKENS: "40",
  CHAT_MOCK_DELAY_MS: "250",
  // Priced so that a reply's tokens show in credits: 40 tokens cost 10, a reply holds at most ~16.
  CHAT_CREDITS_PER_1K_OUTPUT_TOKENS: "250",
  CHAT_MAX_OUTPUT_TOKENS: "60",
  ADMIN_EMAILS: E2E_ADMIN_EMAIL,
  // Account → Webhooks delivers to a receiver on 127.0.0.1 (tests/e2e/webhooks.spec.ts).
  WEBHOOK_ALLOW_PRIVATE_URLS: "true",
};
