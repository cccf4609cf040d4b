import { describe, expect, it } from "vitest";
import { TooManyRequestsError } from "@/lib/http/errors";
import { hitRateLimit } from "@/services/rate-limit";

describe("hitRateLimit", () => {
  it("allows `limit` hits per window, then answers 429 with a retry delay", async () => {
    for (let i = 0; i < 3; i++) await hitRateLimit("t:a", 3, 60);
    const error = await hitRateLimit("t:a", 3, 60).catch((e) => e);
    expect(error).toBeInstanceOf(TooManyRequestsError);
    expect(error.retryAfterSeconds).toBeGreaterThan(0);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(60);
  });

  it("keeps keys apart", async () => {
    await hitRateLimit("t:b", 1, 60);
    await expect(hitRateLimit("t:c", 1, 60)).resolves.toBeUndefined();
    await expect(hitRateLimit("t:b", 1, 60)).rejects.toBeInstanceOf(TooManyRequestsError);
  });

  it("counts concurrent hits exactly", async () => {
    const results = await Promise.allSettled(Array.from({ length: 20 }, () => hitRateLimit("t:d", 5, 60)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(5);
  });
});
