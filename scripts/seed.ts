// npm run db:seed — a demo account (see DEMO_USER in src/services/demo-seed.ts) with
// credits, finished tasks and a paid order, on DATABASE_URL or the PGlite data folder.
// Idempotent: a second run changes nothing.
import { seedDemoData } from "@/services/demo-seed";
import { runWithDatabase } from "./_db";

runWithDatabase(async (database) => {
  const r = await seedDemoData(database.db);
  console.log(
    `demo user ${r.email} ${r.userCreated ? "created" : "already there"}; ` +
      `${r.tasksCreated} task(s) and ${r.orderCreated ? "1" : "0"} order added; balance ${r.balance}`,
  );
});
