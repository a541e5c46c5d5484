/** Raster formats that sharp decodes and that browsers and mobile apps display. */
export const IMAGE_TYPES: ReadonlySet<string> = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"]);

const typeSyntax = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/**
 * The content type to store for a file whose first bytes are `head`: the type detected from
 * the bytes when there is one (file-type); else the sender's declared type, unless it claims an
 * image (the bytes just said otherwise) or is malformed, in which case
 * `application/octet-stream`. A renamed executable never becomes `image/*`.
 */
export async function sniffContentType(
  head: Buffer,
  declaredType: string,
): Promise<{ contentType: string; sniffedType: string | undefined }> {
  // file-type is ESM only; this package is CommonJS.
  const { fileTypeFromBuffer } = await import("file-type");
  const sniffedType = (await fileTypeFromBuffer(head))?.mime;
  if (sniffedType) return { contentType: sniffedType, sniffedType };
  const declared = declaredType.split(";")[0].trim().toLowerCase();
  if (!typeSyntax.test(declared) || declared.startsWith("image/")) {
    return { contentType: "application/octet-stream", sniffedType };
  }
  const charset = /;\s*charset="?([\w.:-]{1,40})"?/i.exec(declaredType)?.[1];
  return { contentType: charset ? `${declared}; charset=${charset.toLowerCase()}` : declared, sniffedType };
}
