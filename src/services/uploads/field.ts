/**
 * File fields in a task type's input: `uploadField({ kinds, maxBytes })` declares a
 * field whose value is an upload id (POST /api/uploads first). createTask resolves every
 * such field before anything is charged (./resolve.ts); the types API marks them in the
 * JSON Schema (`"format": "upload"`, `contentMediaType`, `x-upload`).
 * Only zod and the kinds: safe to import anywhere.
 */
import { z } from "zod";
import { MEDIA_TYPES, type UploadKind } from "@/services/storage/kinds";

export interface UploadFieldSpec {
  /** Kinds the field accepts (the upload's kind is decided from its bytes). */
  kinds: readonly UploadKind[];
  /** A smaller cap than the kind's upload cap, checked at task creation. */
  maxBytes?: number;
  /** Images: at most this many pixels (measured width × height), e.g. what a model's memory allows. */
  maxPixels?: number;
  /** Audio and video: at most this long (measured), in seconds. */
  maxDurationSeconds?: number;
}

/** What the server measured of an upload; a type's `cost` and its providers read these. */
export interface UploadFacts {
  id: string;
  kind: UploadKind;
  contentType: string;
  bytes: number;
  /** Images: pixels. */
  width: number | null;
  height: number | null;
  /** Audio and video: seconds. */
  durationSeconds: number | null;
}

const uploadFields = z.registry<UploadFieldSpec>();

/** A field whose value is the id of one of the caller's uploads, of one of `kinds`. */
export function uploadField(spec: UploadFieldSpec) {
  if (spec.kinds.length === 0) throw new Error("uploadField: name at least one kind");
  const kinds = [...spec.kinds];
  const limits = {
    ...(spec.maxBytes ? { maxBytes: spec.maxBytes } : {}),
    ...(spec.maxPixels ? { maxPixels: spec.maxPixels } : {}),
    ...(spec.maxDurationSeconds ? { maxDurationSeconds: spec.maxDurationSeconds } : {}),
  };
  const words = [
    spec.maxBytes ? `at most ${spec.maxBytes} bytes` : "",
    spec.maxPixels ? `at most ${spec.maxPixels} pixels` : "",
    spec.maxDurationSeconds ? `at most ${spec.maxDurationSeconds} seconds long` : "",
  ].filter(Boolean);
  const schema = z.uuid({ error: "must be an upload id (POST /api/uploads first)" }).meta({
    format: "upload",
    description: `The id of an upload (POST /api/uploads): ${kinds.join(" or ")}${words.length ? `, ${words.join(", ")}` : ""}.`,
    ...(kinds.length === 1 ? { contentMediaType: `${kinds[0]}/*` } : {}),
    "x-upload": { kinds, contentTypes: kinds.flatMap((k) => MEDIA_TYPES[k]), ...limits },
  });
  uploadFields.add(schema, { kinds, ...limits });
  return schema;
}

/** The schema inside optional/nullable/default wrappers. */
function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 5; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    else break;
  }
  return s;
}

/** The upload fields of a type's input (top-level fields of an object schema), by name. */
export function uploadFieldsOf(schema: z.ZodType): Record<string, UploadFieldSpec> {
  if (!(schema instanceof z.ZodObject)) return {};
  const found: Record<string, UploadFieldSpec> = {};
  for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const spec = uploadFields.get(unwrap(field));
    if (spec) found[name] = spec;
  }
  return found;
}
