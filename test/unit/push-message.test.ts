import { Timestamp } from "firebase-admin/firestore";
import { describe, expect, it } from "vitest";
import { pushMessage } from "../../functions/src/push/notification.js";
import type { MessageDoc } from "../../functions/src/shared/model.js";

const message: MessageDoc = {
  number: 7,
  from: "alice",
  type: "text",
  text: "See you at eight",
  clientMessageId: null,
  createdAt: Timestamp.fromMillis(1_000_000),
};
const base = { token: "device-token", chatId: "alice_bob", message, senderName: "Alice" };

describe("pushMessage and the app badge", () => {
  it("when a badge is given, then APNs, Android and the data all carry it", () => {
    expect(pushMessage({ ...base, badge: 3 })).toEqual({
      token: "device-token",
      notification: { title: "Alice", body: "See you at eight" },
      data: { chatId: "alice_bob", number: "7", type: "text", unreadTotal: "3" },
      android: { priority: "high", notification: { tag: "alice_bob", notificationCount: 3 } },
      apns: { payload: { aps: { threadId: "alice_bob", badge: 3, sound: "default" } } },
    });
  });

  it("when the badge is 0, then the push clears it", () => {
    const push = pushMessage({ ...base, badge: 0 });

    expect(push.apns?.payload?.aps.badge).toBe(0);
    expect(push.android?.notification?.notificationCount).toBe(0);
    expect(push.data?.unreadTotal).toBe("0");
  });

  it("when a message request pushes quietly, then it carries the badge too", () => {
    const push = pushMessage({ ...base, style: { request: true }, badge: 1 });

    expect(push).toMatchObject({
      notification: { title: "Message request", body: "From Alice" },
      data: { request: "true", unreadTotal: "1" },
      android: { priority: "normal", notification: { tag: "alice_bob", notificationCount: 1 } },
      apns: { payload: { aps: { threadId: "alice_bob", badge: 1 } } },
    });
    expect(push.apns?.payload?.aps.sound).toBeUndefined();
  });

  it("when no badge is given, then the push leaves the badge alone", () => {
    const push = pushMessage({ ...base, style: { roomTitle: "Trip" } });

    expect(push.data).not.toHaveProperty("unreadTotal");
    expect(push.apns?.payload?.aps).toEqual({ threadId: "alice_bob", sound: "default" });
    expect(push.android?.notification).toEqual({ tag: "alice_bob" });
  });
});
