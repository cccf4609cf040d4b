/** Environment of the app server the browser tests run against. */
export const E2E_ENV: Record<string, string> = {
  AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-0123456789",
  STORAGE_SIGNING_SECRET: "e2e-storage-secret-0123456789",
  SIGNIN_RATE_LIMIT_PER_EMAIL: "1000",
  SIGNIN_RATE_LIMIT_PER_IP: "1000",
  SIGNIN_RATE_LIMIT_PER_ACCOUNT: "100000",
  SIGNUP_RATE_LIMIT_PER_IP: "100000",
  SIGNUP_RATE_LIMIT_GLOBAL: "100000",
  TASK_RATE_LIMIT_PER_MINUTE: "1000",
  // Long enough to watch the progress bar move, short enough for a quick run.
  TEXT2VIDEO_MOCK_DELAY_MS: "6000",
  TEXT2IMAGE_MOCK_DELAY_MS: "4000",
  TASK_SWEEP_INTERVAL_MS: "500",
};
