import { fail } from "@/lib/api";

// Any /api path without a route of its own answers a JSON 404, never an HTML page.
const notFound = () => fail(404, "no such API route");

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
