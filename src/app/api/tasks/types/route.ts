import { ok, route } from "@/lib/http/api";
import { describeTaskTypes } from "@/services/tasks/catalog";

// Public: the registered task types, their input JSON Schema and pricing.
export const GET = route(async () => ok({ types: describeTaskTypes() }));
