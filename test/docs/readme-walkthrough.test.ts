import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";

/** The bash code of the README between the walkthrough markers. */
function walkthrough(): string {
  const readme = readFileSync("README.md", "utf8");
  const section = readme.split("<!-- walkthrough:start -->")[1]?.split("<!-- walkthrough:end -->")[0];
  if (!section) throw new Error("README.md has no walkthrough markers");
  return [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((match) => match[1]).join("\n");
}

describe("README walkthrough", () => {
  it("when its curl commands run verbatim, then they create the chat, send text, accept the request, send a photo, download it, list and read", async () => {
    const output = execFileSync("bash", ["-euo", "pipefail", "-c", walkthrough()], { encoding: "utf8" });

    const chatId = /chat: (\S+)/.exec(output)?.[1];
    expect(chatId).toMatch(/^\w+_\w+$/);
    // Message numbers printed by the three sends: the retry returned the first message.
    expect(output).toMatch(/^1\n1\n2\n/m);
    expect(output).toContain('"text": "Free for a call?"');
    // Step 4: Erin finds the message request and accepts it.
    expect(output).toMatch(/"request": \{\s*"from": "\w+",\s*"to": "\w+",\s*"state": "pending"\s*\}/);
    expect(output).toContain('{"request":null,"unreadCount":0}');
    expect(output).toMatch(/"number":3,"type":"image","file":\{"name":"photo.jpg","contentType":"image\/jpeg"/);
    expect(output).toMatch(/"width":1200,"height":900,"thumbnail":\{[^}]*"width":320,"height":240/);
    expect(output).toContain("200 image/jpeg 15930 bytes\nsame bytes as sent\n200 image/jpeg\n");
    expect(output).toMatch(/"lastRead": 3,\s*"unreadCount": 0/);

    const chat = (await adminDb().doc(`chats/${chatId}`).get()).data();
    expect(chat?.messageCount).toBe(3);
    expect(Object.values(chat?.unread ?? {})).toEqual([0, 0]);
  });
});
