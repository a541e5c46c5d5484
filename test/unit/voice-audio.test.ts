import { Timestamp } from "firebase-admin/firestore";
import { describe, expect, it } from "vitest";
import { audioDuration, isAudioUpload } from "../../functions/src/files/describe-audio.js";
import { sendFileFields, waveformValues } from "../../functions/src/messages/schemas.js";
import { pushMessage } from "../../functions/src/push/notification.js";
import type { MessageDoc } from "../../functions/src/shared/model.js";
import { messagePreview } from "../../functions/src/timeline/preview.js";
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

describe("a voice message's waveform field", () => {
  const values = Array.from({ length: 64 }, (_, i) => i * 4);

  it("when it is 64 integers 0-255, as a comma list or a JSON array, then both read the same", () => {
    for (const waveform of [values.join(","), JSON.stringify(values), `[ ${values.join(", ")} ]`]) {
      const parsed = sendFileFields.safeParse({ waveform });
      expect(parsed.success).toBe(true);
      expect(waveformValues(waveform)).toEqual(values);
    }
  });

  it("when it has another length, a value over 255, a sign or a fraction, then it is refused", () => {
    for (const waveform of [
      values.slice(1).join(","),
      [...values, 1].join(","),
      [256, ...values.slice(1)].join(","),
      `-1,${values.slice(1).join(",")}`,
      `1.5,${values.slice(1).join(",")}`,
    ]) {
      expect(sendFileFields.safeParse({ waveform }).success).toBe(false);
    }
  });
});

describe("how a voice message reads in previews and pushes", () => {
  const voice = (durationMs: number, text = ""): MessageDoc => ({
    number: 3,
    from: "alice",
    type: "voice",
    text,
    clientMessageId: null,
    createdAt: Timestamp.fromMillis(1_000_000),
    file: { path: "chats/c/u/v.ogg", name: "v.ogg", contentType: "audio/ogg", size: 10, sha256: "00", durationMs },
  });

  it("when it has no caption, then the preview names it with its duration in m:ss, rounded to the second", () => {
    expect(messagePreview(voice(12_400))).toBe("Voice message (0:12)");
    expect(messagePreview(voice(65_500))).toBe("Voice message (1:06)");
    expect(messagePreview(voice(300_000))).toBe("Voice message (5:00)");
    expect(messagePreview(voice(9000, "listen"))).toBe("listen");
  });

  it("when it is pushed, then the body says voice message and its duration, never the caption", () => {
    const push = pushMessage({ token: "t", chatId: "alice_bob", message: voice(7000, "secret"), senderName: "Alice" });

    expect(push.notification).toEqual({ title: "Alice", body: "Voice message (0:07)" });
    expect(push.data).toMatchObject({ type: "voice" });
  });
});
