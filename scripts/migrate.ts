// npm run db:migrate — applies drizzle/ migrations to DATABASE_URL, or to the PGlite data folder.
import { runWithDatabase } from "./_db";

runWithDatabase(
  async (database) => {
    console.log(`migrations applied (${database.kind})`);
  },
  { migrate: true },
);
