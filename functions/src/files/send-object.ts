import { pipeline } from "node:stream/promises";
import type { Bucket } from "@google-cloud/storage";
import { create as contentDisposition } from "content-disposition";
import type { Request, Response } from "express";
import { AppError } from "../shared/errors.js";
import type { DownloadObject } from "../shared/handler.js";

/**
 * Streams `object` from Cloud Storage as the response: `Content-Type`, `Content-Length`,
 * `Content-Disposition` with the original name (inline for images, else attachment), `ETag`
 * (answering `If-None-Match` with 304) and a single `Range` (206 with `Content-Range`; several
 * ranges or a malformed one get the whole file, as HTTP allows; `If-Range` is honoured).
 * The body never runs as a page: `nosniff` and a sandboxing CSP.
 * @throws AppError `range-not-satisfiable` (416) when the range lies outside the file.
 */
export async function sendObject(req: Request, res: Response, bucket: Bucket, object: DownloadObject): Promise<void> {
  const etag = `"${object.etag}"`;
  // Revalidate every time: membership can end and messages can be deleted.
  res.set({ ETag: etag, "Cache-Control": "private, no-cache" });
  if (req.fresh) {
    res.status(304).end();
    return;
  }

  let [start, end, status] = [0, object.size - 1, 200];
  const ifRange = req.get("if-range");
  const ranges = req.get("range") && (!ifRange || ifRange === etag) ? req.range(object.size, { combine: true }) : undefined;
  if (ranges === -1) {
    res.set("Content-Range", `bytes */${object.size}`);
    throw new AppError("range-not-satisfiable", `The range is outside the file's ${object.size} bytes.`);
  }
  if (Array.isArray(ranges) && ranges.type === "bytes" && ranges.length === 1) {
    [start, end, status] = [ranges[0].start, ranges[0].end, 206];
    res.set("Content-Range", `bytes ${start}-${end}/${object.size}`);
  }
  // setHeader, not res.set: Express would append a charset the file may not be in.
  res.setHeader("Content-Type", object.contentType);
  res.set({
    "Content-Disposition": contentDisposition(object.name, { type: object.inline ? "inline" : "attachment" }),
    "Accept-Ranges": "bytes",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
  });
  res.status(status).set("Content-Length", String(end - start + 1));
  if (req.method === "HEAD") {
    res.end();
    return;
  }
  await pipeline(bucket.file(object.path).createReadStream({ start, end }), res);
}
