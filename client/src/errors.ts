import type { ErrorCode } from "./types.js";

/** A failed Parley call: `code` is the API's stable error code, `status` the HTTP status (REST). */
export class ParleyError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "ParleyError";
  }
}

/** The ParleyError for a non-2xx REST answer (the `{error: {code, message}}` body, if any). */
export async function errorFromResponse(response: Response): Promise<ParleyError> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: ErrorCode; message?: string } } | null;
  const code = body?.error?.code ?? (response.status >= 500 ? "internal" : "invalid-argument");
  return new ParleyError(code, body?.error?.message ?? `HTTP ${response.status}`, response.status);
}

/** The ParleyError for a callable's failure (`details.code` carries Parley's code). */
export function errorFromCallable(error: unknown): ParleyError {
  const { code, message, details } = error as { code?: string; message?: string; details?: { code?: ErrorCode } };
  const parleyCode = details?.code ?? ((code?.replace(/^functions\//, "") ?? "internal") as ErrorCode);
  return new ParleyError(parleyCode, (message ?? "").replace(/ \[\d+\]$/, ""));
}
