import { describe, expect, it } from "vitest";
import { chatsHandlers } from "../../functions/src/chats/handlers.js";
import { devicesHandlers } from "../../functions/src/devices/handlers.js";
import { exportsHandlers } from "../../functions/src/exports/handlers.js";
import { messagesHandlers } from "../../functions/src/messages/handlers.js";
import { presenceHandlers } from "../../functions/src/presence/handlers.js";
import { reactionsHandlers } from "../../functions/src/reactions/handlers.js";
import { roomsHandlers } from "../../functions/src/rooms/handlers.js";
import { moderationHandlers } from "../../functions/src/moderation/handlers.js";
import { usersHandlers } from "../../functions/src/users/handlers.js";
import { operations } from "../../functions/src/contract.js";
import { fieldsOf, hasCallable, tellsCreated, type Operation } from "../../functions/src/shared/operation.js";

const all = Object.entries(operations) as [string, Operation][];

describe("the operation declarations (contract.ts)", () => {
  it("when listed, then each is named after its key and has a unique method and path", () => {
    const routes = all.map(([, op]) => `${op.method} ${op.path}`);

    expect(all.every(([key, op]) => key === op.name)).toBe(true);
    expect(new Set(routes).size).toBe(routes.length);
    expect(all.length).toBe(48);
  });

  it("when a path names parameters, then its params schema declares exactly those", () => {
    for (const [, op] of all) {
      const inPath = [...op.path.matchAll(/:(\w+)/g)].map((match) => match[1]).sort();
      expect(fieldsOf(op.params).sort(), op.name).toEqual(inPath);
    }
  });

  it("when answering, then an operation answers JSON success responses or bytes, never both, and no field is in two parts", () => {
    for (const [, op] of all) {
      expect(Boolean(op.download) !== Boolean(op.responses), op.name).toBe(true);
      const fields = [op.params, op.query, op.body].flatMap((part) => fieldsOf(part));
      expect(new Set(fields).size, op.name).toBe(fields.length);
    }
  });

  it("when an operation can find what it would create, then it declares both 201 and 200 and callables get `created`", () => {
    const both = all.filter(([, op]) => tellsCreated(op)).map(([name]) => name);

    expect(both.sort()).toEqual(["blockUser", "createChat", "forwardMessage", "registerDevice", "reportMessage", "sendMessage"]);
  });

  it("when built, then every operation has its handlers and nothing more: run, upload for files, download for bytes", () => {
    const implementations = {
      ...usersHandlers,
      ...chatsHandlers,
      ...messagesHandlers,
      ...reactionsHandlers,
      ...exportsHandlers,
      ...roomsHandlers,
      ...presenceHandlers,
      ...moderationHandlers,
      ...devicesHandlers,
    };
    const kinds = Object.fromEntries(
      Object.entries(implementations).map(([name, handlers]) => [
        name,
        Object.keys(handlers as object)
          .sort()
          .join("+"),
      ]),
    );

    expect(Object.keys(kinds).sort()).toEqual(Object.keys(operations).sort());
    for (const [name, op] of all) {
      const expected = op.download ? "download" : op.upload ? "run+upload" : "run";
      expect(kinds[name], name).toBe(expected);
      expect(hasCallable(op), name).toBe(!op.download);
    }
  });
});
