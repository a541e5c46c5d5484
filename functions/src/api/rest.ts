import { Router, type Request, type Response } from "express";
import type { Operations } from "../contract.js";
import { sendObject } from "../files/send-object.js";
import { bucket } from "../shared/firebase.js";
import type { Caller, DownloadObject, UploadRequest } from "../shared/handler.js";
import type { OperationSpec } from "../shared/operation.js";
import { parseInput } from "../shared/validation.js";
import { callerFrom } from "./authenticate.js";
import { restInput } from "./input.js";
import { implementationOf, operationOf } from "./handlers.js";
import { operationIndex } from "./operation-index.js";

/** The reply any handler gives, as the REST layer sees it. */
interface AnyReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** The handlers of one operation, as the REST layer sees them. */
interface AnyImplementation {
  run?: (caller: Caller, input: Record<string, unknown>) => Promise<AnyReply>;
  upload?: (caller: Caller, input: Record<string, unknown>, request: UploadRequest) => Promise<AnyReply>;
  download?: (caller: Caller, input: Record<string, unknown>) => Promise<DownloadObject>;
}

/**
 * An Express route for every operation of `contract.ts`, at its method and path: input validated
 * by its schemas, its handler run, its reply sent. Downloads stream the object (Range, ETag);
 * operations that take files answer multipart/form-data bodies with their `upload` handler.
 * The routes come from `operation-index.ts`, so making them loads no declaration: a route loads
 * its capability's declarations and handlers when it is first hit.
 */
export function operationRoutes(): Router {
  const router = Router();
  for (const [key, { method, path }] of Object.entries(operationIndex)) {
    const name = key as keyof Operations;
    router[method](path, async (req, res) => {
      const started = performance.now();
      const op = (await operationOf(name)) as OperationSpec;
      const implementation = (await implementationOf(name)) as AnyImplementation;
      const caller: Caller = callerFrom(res, new Date());
      if (implementation.download) {
        await sendObject(req, res, bucket(), await implementation.download(caller, restInput(op, req)));
        return;
      }
      if (implementation.upload && req.is("multipart/form-data")) {
        const params = op.params ? parseInput(op.params, req.params, "path") : {};
        send(res, await implementation.upload(caller, params, uploadRequest(req)), started);
      } else if (implementation.run) {
        send(res, await implementation.run(caller, restInput(op, req)), started);
      }
    });
  }
  return router;
}

/**
 * Sends `reply`, with a `Server-Timing: handler;dur=<ms>` header: the time from the route's start
 * (`started`, a `performance.now()`, taken with the caller's `now`) to the reply, so a client or a
 * browser's dev tools tell the handler's own time from the network and proxies around it.
 */
function send(res: Response, reply: AnyReply, started: number): void {
  res.set("server-timing", `handler;dur=${(performance.now() - started).toFixed(1)}`);
  if (reply.headers) res.set(reply.headers);
  res.status(reply.status).json(reply.body);
}

/** The Cloud Functions runtime has read the body already (`rawBody`); elsewhere it is a stream. */
function uploadRequest(req: Request): UploadRequest {
  const rawBody = (req as { rawBody?: unknown }).rawBody;
  return { headers: req.headers, body: Buffer.isBuffer(rawBody) ? rawBody : req };
}
