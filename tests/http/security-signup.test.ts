// Issue 14 (d): 30 of 30 sign-ups from one address got 201 with 50 welcome credits each.
// Now sign-up is limited per address (and globally: tests/integration/signup-limits.test.ts).
import { describe, expect, inject, it } from "vitest";
import { TestClient, uniqueEmail } from "../support/http-client";

const base = inject("baseUrl");
const PASSWORD = "correct horse battery";

describe("sign-up limits", () => {
  it("the 6th sign-up from one address within the window gets 429 with Retry-After and creates nothing", async () => {
    const ip = "198.51.100.61";
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await new TestClient(base, ip).signUp(uniqueEmail("farm"), PASSWORD)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
    const email = uniqueEmail("farm");
    const refused = await new TestClient(base, ip).signUp(email, PASSWORD);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 429, message: "too many requests" });
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);
    // Nothing was written: the same email signs up from another address.
    expect((await new TestClient(base, "198.51.100.62").signUp(email, PASSWORD)).status).toBe(201);
  });

  it("a rejected input is not counted against the address", async () => {
    const ip = "198.51.100.63";
    for (let i = 0; i < 6; i++) expect((await new TestClient(base, ip).signUp("not-an-email", PASSWORD)).status).toBe(400);
    expect((await new TestClient(base, ip).signUp(uniqueEmail("ok"), PASSWORD)).status).toBe(201);
  });
});
