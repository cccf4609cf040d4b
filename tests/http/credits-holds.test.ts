// Held credits over HTTP: GET /api/credits answers what is spendable (data.balance) and
// what open holds keep (data.held); the credits page shows the held credits, and the
// history each settlement with what was reserved and what was spent, in English and
// Chinese. The hold is made through the ledger's service on the server's database
// (PostgreSQL: the embedded PGlite cannot be shared with the test process).
import { describe, expect, inject, it } from "vitest";
import { WELCOME_CREDITS } from "@/data/credits";
import { openPostgres } from "@/db";
import { holdCredits, releaseHold, settleHold } from "@/services/credits/holds";
import { signedInClient } from "../support/http-client";

const base = inject("baseUrl");
const databaseUrl = inject("databaseUrl");

interface CreditsJson {
  balance: number;
  held: number;
}

describe.skipIf(!databaseUrl)("held credits over HTTP", () => {
  it("GET /api/credits and the credits page show what is held, then the settlement", async () => {
    const { client, userUuid } = await signedInClient(base);
    const database = openPostgres(databaseUrl, { max: 2 });
    try {
      const credits = async () => (await client.json<CreditsJson>("/api/credits")).body.data;
      expect(await credits()).toMatchObject({ balance: WELCOME_CREDITS, held: 0 });
      expect(await (await client.fetch("/en/credits")).text()).not.toContain('data-testid="credits-held"');

      const { hold } = await holdCredits(userUuid, 20, { reason: "chat reply" }, database.db);
      const other = (await holdCredits(userUuid, 5, {}, database.db)).hold;
      expect(await credits()).toMatchObject({ balance: WELCOME_CREDITS - 25, held: 25 });
      const held = await (await client.fetch("/en/credits")).text();
      expect(held).toContain('data-testid="credits-held" data-held="25"');
      expect(held).toContain("Held: 25 credits reserved for work in progress");

      await settleHold(hold, 7, database.db);
      await releaseHold(other, database.db);
      expect(await credits()).toMatchObject({ balance: WELCOME_CREDITS - 7, held: 0 });
      const history = (await client.json<{ items: Array<{ transNo: string; credits: number; reserved: number | null }> }>("/api/credits/history")).body.data;
      expect(history.items[0]).toMatchObject({ transNo: hold.id, credits: -7, reserved: 20 });

      const en = await (await client.fetch("/en/credits")).text();
      expect(en).not.toContain('data-testid="credits-held"');
      expect(en).toContain('data-testid="ledger-settlement" data-reserved="20"');
      expect(en).toContain("Reserved 20, spent 7");
      expect(en).toContain(">Usage<");
      const zh = await (await client.fetch("/zh/credits")).text();
      expect(zh).toContain("预留 20，实际使用 7");
      expect(zh).toContain(">用量<");
    } finally {
      await database.close();
    }
  });
});
