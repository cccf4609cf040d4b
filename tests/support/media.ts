// What a stored output really is, read from its bytes: an MP4's duration and frame size (its
// boxes: moov/mvhd, the video track's tkhd and its sample count), a JPEG's or PNG's dimensions.

interface Box {
  type: string;
  /** The box's content, after its header. */
  body: Buffer;
}

function* boxes(buf: Buffer): Generator<Box> {
  let at = 0;
  while (at + 8 <= buf.length) {
    let size = buf.readUInt32BE(at);
    const type = buf.toString("latin1", at + 4, at + 8);
    let header = 8;
    if (size === 1) {
      size = Number(buf.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) {
      size = buf.length - at;
    }
    if (size < header || at + size > buf.length) throw new Error(`mp4: box ${type} at ${at} overruns the file`);
    yield { type, body: buf.subarray(at + header, at + size) };
    at += size;
  }
}

const child = (buf: Buffer, type: string) => [...boxes(buf)].find((b) => b.type === type)?.body;
const children = (buf: Buffer, type: string) => [...boxes(buf)].filter((b) => b.type === type).map((b) => b.body);

export interface Mp4Info {
  /** mvhd's duration / timescale, in seconds. */
  seconds: number;
  width: number;
  height: number;
  /** Frames of the video track (stsz's sample count). */
  frames: number;
}

/** Duration, frame size and frame count of an MP4 (ISO BMFF) with one video track. */
export function mp4Info(buf: Buffer): Mp4Info {
  const moov = child(buf, "moov");
  if (!moov) throw new Error("mp4: no moov box");
  const mvhd = child(moov, "mvhd")!;
  const v1 = mvhd[0] === 1;
  const timescale = mvhd.readUInt32BE(v1 ? 20 : 12);
  const duration = v1 ? Number(mvhd.readBigUInt64BE(24)) : mvhd.readUInt32BE(16);
  for (const trak of children(moov, "trak")) {
    const mdia = child(trak, "mdia")!;
    const hdlr = child(mdia, "hdlr")!;
    if (hdlr.toString("latin1", 8, 12) !== "vide") continue;
    const tkhd = child(trak, "tkhd")!;
    const end = tkhd.length; // width and height are the last 8 bytes, 16.16 fixed point
    const stsz = child(child(child(mdia, "minf")!, "stbl")!, "stsz")!;
    return { seconds: duration / timescale, width: tkhd.readUInt32BE(end - 8) / 65536, height: tkhd.readUInt32BE(end - 4) / 65536, frames: stsz.readUInt32BE(8) };
  }
  throw new Error("mp4: no video track");
}

/** Width and height of a JPEG (its first SOF marker) or a PNG (IHDR). */
export function imageSize(buf: Buffer): { width: number; height: number; type: "jpeg" | "png" } {
  if (buf.subarray(1, 4).toString("latin1") === "PNG") return { type: "png", width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
  if (buf[0] !== 0xff || buf[1] !== 0xd8) throw new Error("not a JPEG or PNG");
  let at = 2;
  while (at + 9 < buf.length) {
    if (buf[at] !== 0xff) throw new Error(`jpeg: no marker at ${at}`);
    const marker = buf[at + 1];
    const length = buf.readUInt16BE(at + 2);
    // SOF0-SOF15, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { type: "jpeg", height: buf.readUInt16BE(at + 5), width: buf.readUInt16BE(at + 7) };
    }
    at += 2 + length;
  }
  throw new Error("jpeg: no frame header");
}
