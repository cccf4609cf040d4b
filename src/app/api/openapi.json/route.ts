import { NextResponse } from "next/server";
import { route } from "@/lib/http/api";
import { env } from "@/lib/env";
import { openApiDocument } from "@/services/api-docs";

export const dynamic = "force-dynamic";

// The OpenAPI 3.1 document of the public API (src/services/api-docs); rendered at /<locale>/docs/api.
export const GET = route(async () => NextResponse.json(openApiDocument(env().APP_URL)));
