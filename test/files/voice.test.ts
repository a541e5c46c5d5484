import { describe, expect, it } from "vitest";
import { adminDb, objectNames } from "../helpers/admin.js";
import { api, createChat } from "../helpers/api.js";
import { m4a, mp3, mp3SyncFlood, oggOpus, webmOpus } from "../helpers/audio.js";
import { download, postForm, upload } from "../helpers/files.js";
import type { TestUser } from "../helpers/users.js";
import { signUpMany } from "../helpers/users.js";

/** A waveform as an app sends it: 64 amplitudes 0-255. */
const waveform = Array.from({ length: 64 }, (_, i) => (i * 37) % 256);

/** Sends `bytes` as a voice recording, with `fields` (e.g. `waveform`) beside the file part. */
function sendVoice(
  user: TestUser,
  chatId: string,
  file: { bytes: Buffer; name: string; type: string },
  fields: Record<string, string> = {},
) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("file", new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  return postForm(user, chatId, form);
}

/** Asserts that a refused upload left no message, no object and no quota charge behind. */
async function expectNothingStored(chatId: string, sender: TestUser) {
  const messages = await adminDb().collection(`chats/${chatId}/messages`).count().get();
  expect(messages.data().count).toBe(0);
  expect((await adminDb().doc(`chats/${chatId}`).get()).data()?.messageCount).toBe(0);
  expect(await objectNames(`chats/${chatId}/`)).toEqual([]);
  expect((await adminDb().doc(`rate-limits/${sender.uid}`).get()).data()?.uploadBytes).toBeUndefined();
}

describe("voice messages (audio through POST /v1/chats/{chatId}/messages, multipart)", () => {
  it("when a member sends an Ogg Opus recording with a waveform, then a voice message keeps its duration and waveform, and the chat's preview says so", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const bytes = oggOpus(12.4);

    const response = await sendVoice(
      alice,
      chatId,
      { bytes, name: "voice.ogg", type: "audio/ogg" },
      { waveform: waveform.join(",") },
    );

    expect(response.body.error).toBeUndefined();
    expect(response.status).toBe(201);
    expect(response.body.message).toMatchObject({ type: "voice", text: "" });
    expect(response.body.message.file).toMatchObject({
      name: "voice.ogg",
      contentType: "audio/ogg; codecs=opus",
      size: bytes.length,
      durationMs: 12_400,
      waveform,
    });
    const stored = (await adminDb().doc(`chats/${chatId}/messages/0000000001`).get()).data();
    expect(stored).toMatchObject({ type: "voice", file: { durationMs: 12_400, waveform } });
    const chat = (await adminDb().doc(`chats/${chatId}`).get()).data();
    expect(chat?.lastMessage).toMatchObject({ number: 1, type: "voice", preview: "Voice message (0:12)" });
    expect((await adminDb().doc(`rate-limits/${alice.uid}`).get()).data()?.uploadBytes.used).toBe(bytes.length);
    const fetched = await api<{ message: { file: { durationMs: number; waveform: number[] } } }>(
      bob,
      "GET",
      `/chats/${chatId}/messages/1`,
    );
    expect(fetched.body.message.file).toMatchObject({ durationMs: 12_400, waveform });
  });

  it("when a player asks for a byte range of a voice message, then 206 with those bytes, served inline as audio", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const bytes = mp3(2);
    const { body } = await sendVoice(alice, chatId, { bytes, name: "note.mp3", type: "audio/mpeg" });

    const part = await download(bob, body.message.file!.downloadPath, { range: "bytes=417-833" });

    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 417-833/${bytes.length}`);
    expect(part.headers.get("content-type")).toBe("audio/mpeg");
    expect(part.headers.get("content-disposition")).toMatch(/^inline/);
    expect(part.bytes.equals(bytes.subarray(417, 834))).toBe(true);
  });

  it("when members send WebM Opus (as MediaRecorder writes it, no Duration), MP3 and M4A, then each is a voice message with the duration its bytes give", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const webm = await sendVoice(alice, chatId, { bytes: webmOpus(7), name: "rec.webm", type: "audio/webm;codecs=opus" });
    const mpeg = await sendVoice(bob, chatId, { bytes: mp3(3), name: "rec.mp3", type: "audio/mpeg" });
    const aac = await sendVoice(alice, chatId, { bytes: m4a(65), name: "rec.m4a", type: "audio/mp4" });

    expect(webm.body.message).toMatchObject({ type: "voice", file: { contentType: "audio/webm", durationMs: 7000 } });
    expect(webm.body.message.file?.waveform).toBeUndefined();
    // 115 frames of 1152 samples at 44.1 kHz: 3.004 s.
    expect(mpeg.body.message).toMatchObject({ type: "voice", file: { contentType: "audio/mpeg", durationMs: 3004 } });
    expect(aac.body.message).toMatchObject({ type: "voice", file: { contentType: "audio/x-m4a", durationMs: 65_000 } });
    const chat = (await adminDb().doc(`chats/${chatId}`).get()).data();
    expect(chat?.lastMessage.preview).toBe("Voice message (1:05)");
  });

  it("when a room member sends a voice message, then members see it with its duration", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const room = (await api<{ chat: { id: string }; inviteCode: string }>(alice, "POST", "/rooms", { body: { title: "Voices" } }))
      .body;
    await api(bob, "POST", "/rooms/join", { body: { inviteCode: room.inviteCode } });

    const response = await sendVoice(bob, room.chat.id, { bytes: oggOpus(1), name: "hi.ogg", type: "audio/ogg" });

    expect(response.status).toBe(201);
    const listed = await api<{ messages: { type: string; file?: { durationMs?: number } }[] }>(
      alice,
      "GET",
      `/chats/${room.chat.id}/messages`,
    );
    expect(listed.body.messages.at(-1)).toMatchObject({ type: "voice", file: { durationMs: 1000 } });
  });

  it("when a member forwards a voice message, then the copy is a voice message with the same duration and waveform", async () => {
    const [alice, bob, carol] = await signUpMany("Alice", "Bob", "Carol");
    const fromChat = await createChat(alice, bob);
    const toChat = await createChat(bob, carol);
    await sendVoice(
      alice,
      fromChat,
      { bytes: oggOpus(4), name: "v.ogg", type: "audio/ogg" },
      { waveform: JSON.stringify(waveform) },
    );

    const forwarded = await api<{ message: { type: string; file?: object; reference?: object } }>(
      bob,
      "POST",
      `/chats/${fromChat}/messages/1/forward`,
      { body: { toChatId: toChat } },
    );

    expect(forwarded.status).toBe(201);
    expect(forwarded.body.message).toMatchObject({
      type: "voice",
      file: { durationMs: 4000, waveform },
      reference: { type: "forward", messageType: "voice" },
    });
    expect((await adminDb().doc(`chats/${toChat}`).get()).data()?.lastMessage.preview).toBe("Voice message (0:04)");
  });

  it("when the bytes claim audio but are no supported format, then 400 and nothing is stored or charged", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const text = await sendVoice(alice, chatId, {
      bytes: Buffer.from("not a recording ".repeat(64)),
      name: "v.ogg",
      type: "audio/ogg",
    });
    const cut = await sendVoice(alice, chatId, { bytes: webmOpus(2).subarray(0, 80), name: "v.webm", type: "audio/webm" });

    for (const response of [text, cut]) {
      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ code: "invalid-argument" });
      expect(response.body.error?.message).toMatch(/^file: is not audio in a supported format/);
    }
    await expectNothingStored(chatId, alice);
  });

  it("when a recording lasts longer than MAX_VOICE_SECONDS (300), then 400 and nothing is stored or charged; 300 s exactly is taken", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const long = await sendVoice(alice, chatId, { bytes: oggOpus(301), name: "long.ogg", type: "audio/ogg" });

    expect(long.status).toBe(400);
    expect(long.body.error).toMatchObject({
      code: "invalid-argument",
      message: "file: a voice message may last at most 300 seconds; this one lasts 301",
    });
    await expectNothingStored(chatId, alice);
    const longest = await sendVoice(alice, chatId, { bytes: oggOpus(300), name: "ok.ogg", type: "audio/ogg" });
    expect(longest.body.message).toMatchObject({ type: "voice", file: { durationMs: 300_000 } });
  });

  it("when an upload is crafted to keep the audio parser busy, then it gives up after 5 s in its own thread: 400, nothing stored, and the API goes on serving", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const trap = await sendVoice(alice, chatId, { bytes: mp3SyncFlood(), name: "trap.mp3", type: "audio/mpeg" });

    expect(trap.status).toBe(400);
    expect(trap.body.error?.message).toMatch(/^file: is not audio in a supported format/);
    await expectNothingStored(chatId, alice);
    const after = await sendVoice(alice, chatId, { bytes: oggOpus(2), name: "ok.ogg", type: "audio/ogg" });
    expect(after.body.message).toMatchObject({ type: "voice", file: { durationMs: 2000 } });
  });

  it("when the recording is empty, then 400 and nothing is stored or charged", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);

    const response = await sendVoice(alice, chatId, { bytes: Buffer.alloc(0), name: "empty.ogg", type: "audio/ogg" });

    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: "invalid-argument", message: "file: must not be empty" });
    await expectNothingStored(chatId, alice);
  });

  it("when the waveform is malformed or comes with a file that is not audio, then 400 and nothing is stored", async () => {
    const [alice, bob] = await signUpMany("Alice", "Bob");
    const chatId = await createChat(alice, bob);
    const voice = { bytes: oggOpus(1), name: "v.ogg", type: "audio/ogg" };

    const short = await sendVoice(alice, chatId, voice, { waveform: waveform.slice(1).join(",") });
    const loud = await sendVoice(alice, chatId, voice, { waveform: JSON.stringify([256, ...waveform.slice(1)]) });
    const onText = await upload(alice, chatId, { bytes: Buffer.from("hi"), filename: "a.txt", type: "text/plain" });
    const textWithWave = await sendVoice(
      alice,
      chatId,
      { bytes: Buffer.from("hi"), name: "a.txt", type: "text/plain" },
      { waveform: waveform.join(",") },
    );

    expect(short.body.error?.message).toBe("waveform: must be 64 integers 0-255, comma-separated");
    expect(loud.body.error?.message).toBe("waveform: must be integers 0-255");
    expect(textWithWave.body.error?.message).toBe("waveform: only audio files (voice messages) have one");
    for (const response of [short, loud, textWithWave]) expect(response.status).toBe(400);
    expect(onText.body.message).toMatchObject({ number: 1, type: "file" });
    expect(
      await adminDb()
        .collection(`chats/${chatId}/messages`)
        .count()
        .get()
        .then((count) => count.data().count),
    ).toBe(1);
    expect(await objectNames(`chats/${chatId}/`)).toHaveLength(1);
  });
});
