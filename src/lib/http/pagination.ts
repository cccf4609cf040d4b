import { z } from "zod";
import { parseInput } from "./api";

/** Paging rules shared by every list (ledger history, tasks, orders): one place. */
export const MAX_PAGE = 100_000;
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** ?page=N&pageSize=M of a list (the API reference documents these query parameters from it). */
export const pageQuerySchema = z.object({
  page: z.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be 1 or more").max(MAX_PAGE, "is too large"),
  pageSize: z
    .number({ error: "must be a number" })
    .int("must be a whole number")
    .min(1, `must be between 1 and ${MAX_PAGE_SIZE}`)
    .max(MAX_PAGE_SIZE, `must be between 1 and ${MAX_PAGE_SIZE}`),
});

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  hasMore: boolean;
}

/** The zod schema of a `Page` of `item` (what the list routes answer, in the API reference). */
export function pageSchemaOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    page: z.int().min(1),
    pageSize: z.int().min(1).max(MAX_PAGE_SIZE),
    hasMore: z.boolean().meta({ description: "True when another page follows." }),
  });
}

/**
 * Validated paging for a service call (400 naming `page` or `pageSize`), with the
 * LIMIT/OFFSET to query: one row more than the page, to tell whether more follow.
 */
export function pageWindow(options: { page?: number; pageSize?: number }) {
  const { page, pageSize } = parseInput(pageQuerySchema, {
    page: options.page ?? 1,
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
  });
  return {
    page,
    pageSize,
    limit: pageSize + 1,
    offset: (page - 1) * pageSize,
    /** The page made from the rows the window fetched. */
    toPage<T>(rows: T[]): Page<T> {
      return { items: rows.slice(0, pageSize), page, pageSize, hasMore: rows.length > pageSize };
    },
  };
}

/** ?page=N&pageSize=M of an API request, as numbers (validated by pageWindow in the service). */
export function pageQuery(request: Request): { page?: number; pageSize?: number } {
  const params = new URL(request.url).searchParams;
  const read = (name: string) => {
    const value = params.get(name);
    return value === null || value === "" ? undefined : Number(value);
  };
  return { page: read("page"), pageSize: read("pageSize") };
}

/** A page's ?page= search parameter: a page number, or 1 for anything odd. */
export function pageFromSearchParam(value: string | string[] | undefined): number {
  const n = Number(value ?? 1);
  return Number.isInteger(n) && n >= 1 && n <= MAX_PAGE ? n : 1;
}
