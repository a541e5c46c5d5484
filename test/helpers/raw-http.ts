import { request as httpRequest } from "node:http";

/**
 * Sends `method` to `url` with its path exactly as given: no `.`/`..` resolution and no
 * re-encoding, as `fetch` (WHATWG URL) would do, so odd path segments reach the server as sent.
 * Answers the status, content type and text of the reply.
 */
export function rawHttp(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; contentType: string | null; text: string }> {
  const { hostname, port } = new URL(url);
  const path = url.slice(url.indexOf("/", url.indexOf("//") + 2));
  return new Promise((resolve, reject) => {
    // Node frames a DELETE's body only when told its length.
    const framed = body === undefined ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) };
    const request = httpRequest({ host: hostname, port, method, path, headers: framed }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: response.headers["content-type"] ?? null,
          text: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      response.on("error", reject);
    });
    request.on("error", reject);
    request.end(body);
  });
}
