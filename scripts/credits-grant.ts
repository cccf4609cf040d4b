// npm run credits:grant -- --email a@b.c --credits 100 [--days 365] [--reason "..."]
import { parseArgs } from "node:util";
import { getUserCredits, grantCredits } from "@/services/credits/ledger";
import { findUserUuidByEmail, runWithDatabase } from "./_db";

const { values } = parseArgs({
  options: { email: { type: "string" }, credits: { type: "string" }, days: { type: "string" }, reason: { type: "string" } },
});

runWithDatabase(async (database) => {
  if (!values.email || !values.credits) {
    console.error('usage: npm run credits:grant -- --email a@b.c --credits 100 [--days 365] [--reason "..."]');
    return 2;
  }
  const userUuid = await findUserUuidByEmail(values.email, database.db);
  const credits = Number(values.credits);
  const validityDays = values.days === undefined ? undefined : Number(values.days);
  const { transNo } = await grantCredits(
    { userUuid, credits, transType: "system_add", validityDays, reason: values.reason ?? "operator grant" },
    database.db,
  );
  const { balance } = await getUserCredits(userUuid, database.db);
  console.log(`granted ${credits} credits to ${values.email} (${transNo})`);
  console.log(balance);
});
