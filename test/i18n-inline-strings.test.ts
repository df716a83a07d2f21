import { RuleTester, type Rule } from "eslint";
import { describe, it } from "vitest";
import laget from "../packages/eslint-plugin/index.js";

// `pnpm lint` runs laget/no-inline-ui-strings over client/src: words a person reads come
// from the i18n catalog. This pins down what the rule catches, so a UI string cannot slip
// past it in a form the rule forgot.

RuleTester.describe = describe;
RuleTester.it = it;
const tester = new RuleTester({ languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } } });
const rule = laget.rules!["no-inline-ui-strings"] as Rule.RuleModule;
const inline = (code: string) => ({ code, errors: [{ messageId: "inline" }] });

tester.run("no-inline-ui-strings", rule, {
  valid: [
    `<p>{t("cases.title")}</p>`,
    `<button aria-label={t("messaging.send")} title={t("messaging.send")}>{count}</button>`,
    `<span className="count-badge" data-state="open" role="status"> {" "}·{"–"} </span>`,
    `<img alt="" src="/logo.svg" />`,
    `<input placeholder={busy ? t("common.loading") : ""} type="search" />`,
    `<Trans lang="nb" id="x" />`,
  ],
  invalid: [
    inline(`<p>Lagre</p>`),
    inline(`<p>{"Lagre"}</p>`),
    inline(`<p>{busy ? "Lagrer" : t("common.save")}</p>`),
    inline(`<p>{name || "Ukjent"}</p>`),
    inline(`<p>{\`Hei \${name}\`}</p>`),
    inline(`<button aria-label="Lukk" />`),
    inline(`<button aria-label={"Lukk"} />`),
    inline(`<abbr title="Barneverntjenesten">BVT</abbr>`.replace(">BVT<", ">{x}<")),
    inline(`<input placeholder="Søk" />`),
    inline(`<img alt="Logo" />`),
    inline(`<input placeholder={\`Søk i \${n}\`} />`),
    { code: `<input aria-label={open ? "Lukk" : "Åpne"} />`, errors: [{ messageId: "inline" }, { messageId: "inline" }] },
  ],
});
