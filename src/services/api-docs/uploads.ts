/** Uploads in the API reference: a task's input files (image, audio, video), sent as multipart. */
import { z } from "zod";
import { uploadDtoSchema, uploadListQuerySchema } from "@/services/uploads";
import { errors, json, security, uuidParam, type ApiDocsModule } from "./common";

const uploadBody = z.object({ upload: uploadDtoSchema });

// The multipart form the route streams (it reads the part named `file`; see services/uploads receiveUpload).
const uploadForm = z.object({
  file: z.file().meta({ description: "The file: an image (PNG, JPEG, WebP), audio or video, typed from its bytes; capped per kind." }),
});

export const uploadsDocs: ApiDocsModule = {
  tags: [{ name: "Uploads", description: "Files a task takes as input: upload first, then pass the upload's `id` in the task's file field." }],
  paths: () => ({
    "/api/uploads": {
      post: {
        operationId: "upload_file",
        tags: ["Uploads"],
        summary: "Upload a file",
        description:
          "`multipart/form-data` with the file in the field `file`, streamed into private storage. Its type comes from its bytes, not from the file name or the part's Content-Type. It can start a task until `expiresAt`.",
        security: security.apiCaller,
        requestBody: { required: true, content: { "multipart/form-data": { schema: uploadForm } } },
        responses: {
          201: json("Stored: the upload.", uploadBody),
          ...errors([400, 401, 403, 413, 415, 429, 503], {
            400: "No file, an empty file, or a malformed form.",
            413: "Over the kind's size cap (the connection is cut early).",
            415: "Not an accepted image, audio or video file.",
            429: "Past the hourly upload limits.",
          }),
        },
      },
      get: {
        operationId: "list_uploads",
        tags: ["Uploads"],
        summary: "List your uploads",
        description: "Your unexpired uploads, newest first.",
        security: security.apiCaller,
        requestParams: { query: uploadListQuerySchema },
        responses: { 200: json("The uploads.", z.object({ uploads: z.array(uploadDtoSchema) })), ...errors([400, 401, 503]) },
      },
    },
    "/api/uploads/{id}": {
      get: {
        operationId: "get_upload",
        tags: ["Uploads"],
        summary: "Get an upload",
        security: security.apiCaller,
        requestParams: { path: uuidParam("id", "The upload's id.") },
        responses: { 200: json("The upload, with a fresh signed URL.", uploadBody), ...errors([401, 403, 404, 503]) },
      },
    },
  }),
};
