import { afterEach, expect } from "vitest";
import { securityPolicyFindings } from "./browser.ts";

// Every browser test: no page it opened reported a CSP violation or came without a CSP.
afterEach(() => {
  expect(securityPolicyFindings.splice(0), "Content-Security-Policy findings").toEqual([]);
});
