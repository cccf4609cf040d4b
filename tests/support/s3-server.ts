// A real S3-compatible server for tests: s3rver (offline, files in a temporary
// folder). It enforces presigned-URL expiry but does not verify signatures, so
// signature and privacy checks live in the local driver's tests.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
// @ts-expect-error -- s3rver ships no type declarations
import S3rver from "s3rver";

export interface S3TestServer {
  endpoint: string;
  bucket: string;
  /** Options for S3Storage / the S3_* environment. */
  accessKeyId: string;
  secretAccessKey: string;
  /** App env that points the s3 storage driver at this server. */
  appEnv: Record<string, string>;
  close(): Promise<void>;
}

export async function startS3Server(bucket = "test-bucket"): Promise<S3TestServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "s3rver-"));
  const server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: dir, configureBuckets: [{ name: bucket }] });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver's built-in credentials.
  const accessKeyId = "S3RVER";
  const secretAccessKey = "S3RVER";
  return {
    endpoint,
    bucket,
    accessKeyId,
    secretAccessKey,
    appEnv: {
      STORAGE_DRIVER: "s3",
      S3_BUCKET: bucket,
      S3_REGION: "us-east-1",
      S3_ENDPOINT: endpoint,
      S3_FORCE_PATH_STYLE: "true",
      S3_ACCESS_KEY_ID: accessKeyId,
      S3_SECRET_ACCESS_KEY: secretAccessKey,
    },
    async close() {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
