import { normalizeEmail } from "@/lib/email";
import { env } from "@/lib/env";
import { hitRateLimit } from "@/services/rate-limit";

/** Sign-in attempts per email and per IP address in a fixed window; throws TooManyRequestsError. */
export async function checkSignInRateLimit({ email, ip }: { email: string; ip: string }) {
  const e = env();
  const window = e.SIGNIN_RATE_LIMIT_WINDOW_SECONDS;
  await hitRateLimit(`signin:ip:${ip}`, e.SIGNIN_RATE_LIMIT_PER_IP, window);
  if (email) await hitRateLimit(`signin:email:${normalizeEmail(email).slice(0, 254)}`, e.SIGNIN_RATE_LIMIT_PER_EMAIL, window);
}
