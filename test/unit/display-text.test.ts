import { describe, expect, it } from "vitest";
import { cleanDisplayText } from "../../functions/src/shared/display-text.js";
import { safeFileName } from "../../functions/src/files/safe-file-name.js";

describe("text shown to other users", () => {
  it("when a name hides a bidi override or control characters, then they are removed and the rest kept", () => {
    expect(cleanDisplayText("invoice\u202Egpj.exe")).toBe("invoicegpj.exe");
    expect(cleanDisplayText("  Eve\u2066\u2069\u200F\u061C \n\t Admin\u0007 ")).toBe("Eve Admin");
    expect(cleanDisplayText("Zoë 🙂 عربي")).toBe("Zoë 🙂 عربي");
    expect(cleanDisplayText("\u202E\u202E")).toBe("");
  });

  it("when a file name carries a bidi override, then its stored object name has none either", () => {
    expect(safeFileName("invoice\u202Egpj.exe")).toBe("invoicegpj.exe");
  });
});
