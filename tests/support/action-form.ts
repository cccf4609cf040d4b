// Submitting a page's form as a browser without JavaScript does: the Server Action's
// hidden fields (React's $ACTION_… inputs) plus the form's own, posted as multipart to
// the page. Next.js runs the action and answers a redirect (303) or the page re-rendered
// with the action's state.
import type { TestClient } from "./http-client";

const decode = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The fields of the `<form>` with `data-testid="<testId>"` in `html` (name -> value, hidden and visible inputs). */
export function formFields(html: string, testId: string): Record<string, string> {
  const marker = html.indexOf(`data-testid="${testId}"`);
  if (marker < 0) throw new Error(`no form with data-testid="${testId}"`);
  const start = html.lastIndexOf("<form", marker);
  const end = html.indexOf("</form>", marker);
  const form = html.slice(start, end);
  const fields: Record<string, string> = {};
  for (const [input] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = /\sname="([^"]*)"/.exec(input)?.[1];
    if (!name) continue;
    fields[decode(name)] = decode(/\svalue="([^"]*)"/.exec(input)?.[1] ?? "");
  }
  return fields;
}

/** GETs `page`, fills the form `testId` with `values` and posts it as a no-JS browser would. */
export async function submitForm(
  client: TestClient,
  page: string,
  testId: string,
  values: Record<string, string> = {},
  poster: TestClient = client,
): Promise<Response> {
  const res = await client.fetch(page);
  if (res.status !== 200) throw new Error(`GET ${page}: ${res.status}`);
  const fields = { ...formFields(await res.text(), testId), ...values };
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  return poster.fetch(page, { method: "POST", body });
}
