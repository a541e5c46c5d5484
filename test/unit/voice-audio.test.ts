import { describe, expect, it } from "vitest";
import { audioDuration, isAudioUpload } from "../../functions/src/files/describe-audio.js";
import { isEbml, readMatroskaBlocks } from "../../functions/src/files/matroska-duration.js";
import { m4a, mp3, oggOpus, webmOpus } from "../helpers/audio.js";

describe("audioDuration (music-metadata)", () => {
  it("when given each supported format, then it reads the duration from the bytes", async () => {
    expect(await audioDuration(oggOpus(3), "audio/ogg; codecs=opus")).toBe(3);
    expect(await audioDuration(webmOpus(7.5, true), "video/webm")).toBe(7.5);
    expect(await audioDuration(m4a(4), "audio/x-m4a")).toBe(4);
    // 77 frames of 1152 samples at 44.1 kHz.
    expect(await audioDuration(mp3(2), "audio/mpeg")).toBeCloseTo((77 * 1152) / 44100, 6);
  });

  it("when a WebM has no Duration and Clusters of unknown size (as MediaRecorder writes it), then its blocks give the duration", async () => {
    const bytes = webmOpus(12);
    expect(isEbml(bytes)).toBe(true);
    expect(readMatroskaBlocks(bytes).seconds).toBe(12);
    expect(await audioDuration(bytes, "video/webm")).toBe(12);
  });

  it("when the bytes are not audio, cut off, or empty, then there is no duration", async () => {
    expect(await audioDuration(Buffer.from("not audio at all ".repeat(20)), "audio/mpeg")).toBeUndefined();
    expect(await audioDuration(webmOpus(2).subarray(0, 60), "video/webm")).toBeUndefined();
    expect(await audioDuration(Buffer.alloc(0), "audio/ogg")).toBeUndefined();
  });
});

describe("isAudioUpload", () => {
  it("when the bytes say audio, or the sender says audio and the bytes name a container or nothing, then it is a voice message", () => {
    expect(isAudioUpload("audio/mpeg", "application/octet-stream")).toBe(true);
    expect(isAudioUpload("video/webm", "audio/webm;codecs=opus")).toBe(true);
    expect(isAudioUpload(undefined, "audio/ogg")).toBe(true);
  });

  it("when the bytes say image or video without an audio claim, then it stays a file", () => {
    expect(isAudioUpload("image/png", "audio/mpeg")).toBe(false);
    expect(isAudioUpload("video/webm", "video/webm")).toBe(false);
    expect(isAudioUpload(undefined, "text/plain")).toBe(false);
  });
});
