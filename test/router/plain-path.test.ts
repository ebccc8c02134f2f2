import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isPlainPath, judgePath } from "../../router/forward/request-path.ts";

describe("the router's plain-path shortcut", () => {
  it("answers as the regular expression it replaced, for any path of likely characters", () => {
    const pattern = /^(\/[A-Za-z0-9\-_~]+)+\/?$|^\/$/;
    const char = fc.constantFrom(..."//////aZ09-_~.%;\\ \u00e9?".split(""));
    const path = fc.array(char, { maxLength: 12 }).map((cs) => cs.join(""));
    fc.assert(
      fc.property(path, (p) => isPlainPath(p) === pattern.test(p)),
      { numRuns: 50_000 },
    );
  });

  it("takes the commonest paths and leaves the rest to the full check", () => {
    for (const p of ["/", "/items", "/items/", "/items/01HNZXD07M5CEN5XA66EMZSRZW", "/a-b_c~d/e"])
      expect(isPlainPath(p), p).toBe(true);
    for (const p of ["", "items", "//", "/items//x", "/./items", "/items/%41", "/a;b", "/a\\b", "/\u00e9"])
      expect(isPlainPath(p), p).toBe(false);
    expect(judgePath("/items//x")).toMatchObject({ kind: "bad" });
    expect(judgePath("/items/01HNZXD07M5CEN5XA66EMZSRZW?x=1")).toEqual({
      kind: "ok",
      pathAndQuery: "/items/01HNZXD07M5CEN5XA66EMZSRZW?x=1",
      path: "/items/01HNZXD07M5CEN5XA66EMZSRZW",
    });
  });
});
