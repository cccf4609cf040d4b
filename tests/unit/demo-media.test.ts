// The demo generator's media (public/demo/, scripts/render-demo-media.sh), read from the files
// themselves: every clip the mock can return is exactly as long as its name says, in its aspect
// ratio; every image has the size it is sold as; different prompts get different scenes.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { DEMO_SCENES, pickDemoScene } from "@/services/ai/providers/demo-scenes";
import { IMAGE_SIZES } from "@/tasks/text-to-image/limits";
import { demoImageFor, demoImageUrl } from "@/tasks/text-to-image/providers";
import { ASPECT_RATIOS, TEXT2VIDEO_MAX_SECONDS, TEXT2VIDEO_MIN_SECONDS } from "@/tasks/text-to-video/limits";
import { demoVideoFor, demoVideoUrl } from "@/tasks/text-to-video/providers";
import { imageSize, mp4Info } from "../support/media";

const FRAME = { landscape: [640, 360], portrait: [360, 640], square: [480, 480] } as const;
const read = (url: string) => fs.readFileSync(`public${url}`);

describe("demo generator media", () => {
  it("has a clip for every scene, aspect ratio and length the form offers, exactly that long and that shape", () => {
    let bytes = 0;
    for (const scene of DEMO_SCENES) {
      for (const ratio of ASPECT_RATIOS) {
        for (let seconds = TEXT2VIDEO_MIN_SECONDS; seconds <= TEXT2VIDEO_MAX_SECONDS; seconds++) {
          const file = read(demoVideoUrl(scene, ratio, seconds));
          bytes += file.length;
          const info = mp4Info(file);
          expect(info, `${scene} ${ratio} ${seconds}s`).toEqual({ seconds, width: FRAME[ratio][0], height: FRAME[ratio][1], frames: seconds * 24 });
          expect(file.length, `${scene} ${ratio} ${seconds}s`).toBeLessThan(300_000);
        }
      }
    }
    // Committed to the repository: kept small.
    expect(bytes).toBeLessThan(5_000_000);
  });

  it("has an image for every scene at each size, of that size", () => {
    for (const scene of DEMO_SCENES) {
      for (const size of IMAGE_SIZES) {
        const [w, h] = size.split("x").map(Number);
        expect(imageSize(read(demoImageUrl(scene, size))), `${scene} ${size}`).toEqual({ type: "jpeg", width: w, height: h });
      }
    }
  });

  it("has the landing page's loop: 16:9, twelve seconds, with its poster", () => {
    expect(mp4Info(read("/demo/hero.mp4"))).toMatchObject({ seconds: 12, width: 960, height: 540 });
    expect(imageSize(read("/demo/hero-poster.jpg"))).toMatchObject({ width: 960, height: 540 });
  });

  it("picks a scene from the prompt: the subject it names first, else a stable hash; every scene is reachable", () => {
    expect(pickDemoScene("Northern lights over a frozen lake")).toBe("aurora");
    expect(pickDemoScene("A camel crossing the desert at noon")).toBe("dunes");
    expect(pickDemoScene("A paper boat on a rainy street")).toBe("ocean");
    expect(pickDemoScene("Neon glow in a dream")).toBe("bloom");
    expect(pickDemoScene("海边的日出")).toBe("ocean");
    // The first subject named wins ("ocean" before "sunset").
    expect(pickDemoScene("The ocean at sunset")).toBe("ocean");
    // "star" starts a word only: "mustard" and "start" name no subject.
    expect(pickDemoScene("mustard")).toBe(pickDemoScene("MUSTARD  "));
    // The same prompt always gets the same scene; prompts naming nothing spread over all scenes.
    const prompts = Array.from({ length: 40 }, (_, i) => `a still life, variation ${i}`);
    expect(prompts.map(pickDemoScene)).toEqual(prompts.map(pickDemoScene));
    expect(new Set(prompts.map(pickDemoScene))).toEqual(new Set(DEMO_SCENES));
  });

  it("gives the mock's clip and image for an input", () => {
    expect(demoVideoFor({ prompt: "Aurora", seconds: 6, aspectRatio: "portrait" })).toBe("/demo/video/aurora-portrait-6s.mp4");
    expect(demoImageFor({ prompt: "dunes", size: "512x512" })).toBe("/demo/image/dunes-512x512.jpg");
  });
});
