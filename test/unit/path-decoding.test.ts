import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toHttpError } from "../../functions/src/api/http-errors.js";
import { operationRoutes } from "../../functions/src/api/rest.js";
import { sendHttpError } from "../../functions/src/api/http-errors.js";
import { operations } from "../../functions/src/contract.js";
import type { OperationSpec } from "../../functions/src/shared/operation.js";
import { INVALID_ESCAPES } from "../helpers/odd-ids.js";
import { rawHttp } from "../helpers/raw-http.js";

// Express's router decodes path parameters before any route runs. The Functions runtimes in
// front of Parley (the emulator, the Functions Framework) refuse undecodable paths first with
// their own 400; should one reach Parley's routes, they answer 400 in Parley's error shape too.

let server: Server;
let base: string;

beforeAll(async () => {
  const app = express();
  app.use(operationRoutes());
  app.use(sendHttpError);
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

describe("a path whose escapes are not UTF-8", () => {
  const withParams = (Object.values(operations) as (OperationSpec & { name: string })[]).filter((op) => op.path.includes(":"));

  it("when any route with a parameter gets one, then 400 invalid-argument in the error shape, not 500", async () => {
    for (const op of withParams) {
      for (const escape of INVALID_ESCAPES) {
        const path = op.path.replace(/:(\w+)/, `x${escape}y`).replace(/:(\w+)/g, "1");
        const sent = await rawHttp(op.method.toUpperCase(), `${base}${path}`, {});
        expect(sent.status, `${op.name} ${path}`).toBe(400);
        expect(JSON.parse(sent.text)).toEqual({
          error: { code: "invalid-argument", message: "path: is not valid percent-encoded UTF-8" },
        });
      }
    }
  });

  it("when an error is some other URIError, then it stays internal (500, logged)", () => {
    expect(toHttpError(new URIError("URI malformed"), "test").status).toBe(500);
  });
});
