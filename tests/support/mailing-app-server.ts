// Vitest hooks for an HTTP test file that needs mail: a local SMTP server and an app server
// of the file's own that sends through it.
import { afterAll, beforeAll } from "vitest";
import { startOwnServer } from "./http-setup";
import { startSmtp, type Received } from "./smtp";

/**
 * For an HTTP test file: a local SMTP server and an app server of the file's own
 * (startOwnServer, database `name`) that mails through it, both stopped after the file.
 * `url` and `received` are set once the file's tests run.
 */
export function useMailingAppServer(name: string): { url: string; received: Received[] } {
  const box: { url: string; received: Received[]; stop?: () => Promise<void> } = { url: "", received: [] };
  beforeAll(async () => {
    const smtp = await startSmtp();
    box.received = smtp.received;
    box.stop = smtp.close;
    const server = await startOwnServer(name, { SMTP_URL: smtp.url });
    box.url = server.url;
    box.stop = async () => {
      await server.stopAll();
      await smtp.close();
    };
  }, 180_000);
  afterAll(async () => box.stop?.());
  return box;
}
