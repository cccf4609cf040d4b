import { defineConfig } from "drizzle-kit";

// With DATABASE_URL unset, drizzle-kit talks to the embedded PGlite data folder
// the app uses, so `npm run db:generate` / `db:migrate` work with zero configuration.
const url = process.env.DATABASE_URL;

export default defineConfig({
  schema: "./src/db/schema.ts",
  out: "./drizzle",
  dialect: "postgresql",
  ...(url
    ? { dbCredentials: { url } }
    : { driver: "pglite", dbCredentials: { url: process.env.PGLITE_DATA_DIR ?? "./data/pglite" } }),
});
