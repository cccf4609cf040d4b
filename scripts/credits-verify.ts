// npm run credits:verify — proves, per user, that ledger sums, grant bookkeeping and
// the spendable balance agree. Prints each offender; exits 1 if there is any.
import { verifyLedger } from "@/services/credits/verify";
import { runWithDatabase } from "./_db";

runWithDatabase(async (database) => {
  const { users, offences } = await verifyLedger(database.db);
  for (const o of offences) console.log(`OFFENCE  user=${o.userUuid}  [${o.check}]  ${o.detail}`);
  console.log(`checked ${users} users on ${database.kind}: ${offences.length === 0 ? "ledger consistent" : `${offences.length} offence(s)`}`);
  return offences.length === 0 ? 0 : 1;
});
