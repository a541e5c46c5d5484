import { describe, expect, it } from "vitest";
import { adminDb } from "../helpers/admin.js";
import { api } from "../helpers/api.js";
import { signUp } from "../helpers/users.js";

interface UserBody {
  uid: string;
  displayName: string;
  email: string | null;
  photoURL: string | null;
  createdAt: string;
}

describe("users", () => {
  it("when someone signs up, then the Auth trigger creates their profile", async () => {
    const user = await signUp("Dana");
    const profile = (await adminDb().doc(`users/${user.uid}`).get()).data();
    expect(profile).toMatchObject({ displayName: user.displayName, photoURL: null });
    expect(profile).not.toHaveProperty("email");
    expect(profile?.createdAt.toMillis()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("when the directory is paged, then every user appears once in display-name order", async () => {
    const me = await signUp("Paging");
    await Promise.all([signUp("Paging"), signUp("Paging")]);
    const all: UserBody[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=7&cursor=${cursor}` : "?limit=7";
      const page = await api<{ users: UserBody[]; nextCursor: string | null }>(me, "GET", `/users${query}`);
      expect(page.status).toBe(200);
      expect(page.body.users.length).toBeLessThanOrEqual(7);
      all.push(...page.body.users);
      cursor = page.body.nextCursor;
    } while (cursor);

    const stored = await adminDb().collection("users").get();
    expect(all.map((user) => user.uid).sort()).toEqual(stored.docs.map((doc) => doc.id).sort());
    const names = all.map((user) => user.displayName);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(all.find((user) => user.uid === me.uid)).toMatchObject({ displayName: me.displayName, email: me.email });
    expect(all.filter((user) => user.uid !== me.uid).every((user) => user.email === null)).toBe(true);
  });

  it("when the cursor is not a user, then 400 invalid-argument", async () => {
    const me = await signUp("Cursor");
    expect(await api(me, "GET", "/users?cursor=nobody-here")).toMatchObject({
      status: 400,
      body: { error: { code: "invalid-argument", message: "cursor: is not a cursor of this listing" } },
    });
  });

  it("when q is given, then only display names starting with it are listed", async () => {
    const me = await signUp("Zebedee");
    const prefix = me.displayName.slice(0, 12);

    const found = await api<{ users: UserBody[] }>(me, "GET", `/users?q=${encodeURIComponent(prefix)}`);
    const none = await api<{ users: UserBody[] }>(me, "GET", "/users?q=Nobody%20has%20this%20name");

    expect(found.body.users.map((user) => user.uid)).toEqual([me.uid]);
    expect(none.body.users).toEqual([]);
    expect((await api(me, "GET", "/users?q=")).status).toBe(400);
  });

  it("when a user renames themselves through PATCH /v1/me, then the name is cleaned, and names the server would refuse get 400", async () => {
    const me = await signUp("Renamer");
    const profile = async () => (await adminDb().doc(`users/${me.uid}`).get()).data();

    const renamed = await api<{ user: UserBody }>(me, "PATCH", "/me", { body: { displayName: "  Zoe\u0301   🙂 \u200Bعربي " } });
    expect(renamed).toMatchObject({ status: 200, body: { user: { uid: me.uid, displayName: "Zoé 🙂 عربي", email: me.email } } });
    expect((await profile())?.displayName).toBe("Zoé 🙂 عربي");
    expect((await profile())?.displayName).toBe("Zoé 🙂 عربي".normalize("NFC"));

    for (const displayName of ["   ", "\u200B\u2060", "\u202E\u202D", "x".repeat(101)]) {
      const refused = await api<{ error: { code: string } }>(me, "PATCH", "/me", { body: { displayName } });
      expect(refused, JSON.stringify(displayName)).toMatchObject({ status: 400, body: { error: { code: "invalid-argument" } } });
    }
    expect((await api(me, "PATCH", "/me", { body: { photoURL: "javascript:alert(1)" } })).status).toBe(400);
    expect((await api(me, "PATCH", "/me", { body: {} })).status).toBe(400);
    const photo = await api<{ user: UserBody }>(me, "PATCH", "/me", { body: { photoURL: "https://example.com/me.png" } });
    expect(photo.body.user).toMatchObject({ displayName: "Zoé 🙂 عربي", photoURL: "https://example.com/me.png" });
  });
});
