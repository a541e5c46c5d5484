// Fails fast, with a clear message, when the suite is started outside the emulators.
export default function setup(): void {
  for (const name of ["FIREBASE_AUTH_EMULATOR_HOST", "FIRESTORE_EMULATOR_HOST", "FIREBASE_STORAGE_EMULATOR_HOST"]) {
    if (!process.env[name]) {
      throw new Error(`${name} is not set: run the tests with \`npm test\`, which starts the emulators.`);
    }
  }
}
