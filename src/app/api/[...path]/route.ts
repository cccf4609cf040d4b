import { route } from "@/lib/http/api";
import { NotFoundError } from "@/lib/http/errors";

// Any /api path without a route of its own answers a JSON 404, never an HTML page, through
// route() like every API answer (Cache-Control: no-store, a request id).
const notFound = route(async () => {
  throw new NotFoundError("no such API route");
}, { allowCrossOrigin: true });

export {
  notFound as GET,
  notFound as HEAD,
  notFound as POST,
  notFound as PUT,
  notFound as PATCH,
  notFound as DELETE,
  notFound as OPTIONS,
};
