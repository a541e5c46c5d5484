// Seeding bench data in bulk on an emulator that may stall under the bench's own load.

/**
 * A BulkWriter for seeding: each write is tried up to 5 times whatever the error (the emulator
 * has answered DEADLINE_EXCEEDED after 60 s under the room sections, which BulkWriter does not
 * retry by itself), and a write that still fails fails `close()`, so the bench's section records
 * it, instead of crashing the bench as an unhandled rejection. `admin`: an Admin SDK Firestore.
 * @returns `{ set(ref, data), close() }`; `close()` throws when any write failed.
 */
export function seedingWriter(admin) {
  const writer = admin.bulkWriter();
  writer.onWriteError((error) => error.failedAttempts < 5);
  const failures = [];
  return {
    set: (ref, data) => void writer.set(ref, data).catch((error) => failures.push(error)),
    async close() {
      await writer.close();
      await new Promise((resolve) => setImmediate(resolve));
      if (failures.length) throw new Error(`${failures.length} seeding writes failed; the first: ${failures[0].message}`);
    },
  };
}
