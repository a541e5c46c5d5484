import { randomUUID } from "node:crypto";
import type { Bucket } from "@google-cloud/storage";
import type { FileDoc } from "../shared/model.js";

/** A copy of a message's objects in another chat's folder, and how to take it back. */
export interface CopiedFile {
  file: FileDoc;
  discard(): Promise<void>;
}

/**
 * Copies `file`'s object (and thumbnail) server-side into a fresh folder of chat `toChatId`:
 * `chats/{toChatId}/{uploadId}/...`, keeping the names. The bytes never pass through the
 * function. When a copy fails, what was copied is deleted and the error rethrown.
 */
export async function copyMessageFile(bucket: Bucket, file: FileDoc, toChatId: string): Promise<CopiedFile> {
  const folder = `chats/${toChatId}/${randomUUID()}`;
  const discard = async () => {
    await bucket.deleteFiles({ prefix: `${folder}/`, force: true });
  };
  const copyTo = async (path: string) => {
    const target = `${folder}/${path.split("/").slice(3).join("/")}`;
    await bucket.file(path).copy(bucket.file(target));
    return target;
  };
  try {
    const path = await copyTo(file.path);
    const thumbnail = file.thumbnail && { ...file.thumbnail, path: await copyTo(file.thumbnail.path) };
    return { file: { ...file, path, ...(thumbnail && { thumbnail }) }, discard };
  } catch (error) {
    await discard();
    throw error;
  }
}

/** {@link copyMessageFile} bound to a bucket, as a forward takes it. */
export type CopyFile = (file: FileDoc, toChatId: string) => Promise<CopiedFile>;

/** The {@link CopyFile} of `bucket`. */
export function fileCopier(bucket: Bucket): CopyFile {
  return (file, toChatId) => copyMessageFile(bucket, file, toChatId);
}
