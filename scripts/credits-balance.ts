// npm run credits:balance -- --email a@b.c   (the balance is the last line)
import { parseArgs } from "node:util";
import { getUserCredits } from "@/services/credits/ledger";
import { findUserUuidByEmail, runWithDatabase } from "./_db";

const { values } = parseArgs({ options: { email: { type: "string" } } });

runWithDatabase(async (database) => {
  if (!values.email) {
    console.error("usage: npm run credits:balance -- --email a@b.c");
    return 2;
  }
  const userUuid = await findUserUuidByEmail(values.email, database.db);
  const { balance, nextExpiry } = await getUserCredits(userUuid, database.db);
  if (nextExpiry) console.log(`next expiry: ${nextExpiry.credits} credits at ${nextExpiry.expiresAt}`);
  console.log(balance);
});
