// Project lint rules. `no-inline-ui-strings`: text a person reads (JSX text and the
// attributes that carry words) must come from the i18n catalog, never inline.
const wordy = /\p{L}/u;
const textAttributes = new Set([
  "aria-label", "aria-description", "aria-roledescription", "aria-valuetext", "aria-placeholder",
  "title", "placeholder", "alt", "label",
]);

/** The string pieces an expression can show as it stands: literals, template text, both arms of ?: and the sides of ?? / ||. */
function* shownStrings(node) {
  if (!node) return;
  if (node.type === "Literal" && typeof node.value === "string") yield { node, text: node.value };
  else if (node.type === "TemplateLiteral") for (const q of node.quasis) yield { node: q, text: q.value.cooked ?? "" };
  else if (node.type === "ConditionalExpression") {
    yield* shownStrings(node.consequent);
    yield* shownStrings(node.alternate);
  } else if (node.type === "LogicalExpression") {
    yield* shownStrings(node.left);
    yield* shownStrings(node.right);
  }
}

const noInlineUiStrings = {
  meta: {
    type: "problem",
    docs: { description: "UI text must come from the i18n catalog (t())" },
    schema: [],
    messages: { inline: "Inline UI text \"{{text}}\": put it in the i18n catalog and use t()." },
  },
  create(context) {
    const report = (node, text) =>
      context.report({ node, messageId: "inline", data: { text: text.trim().slice(0, 40) } });
    const check = (expression) => {
      for (const { node, text } of shownStrings(expression)) if (wordy.test(text)) report(node, text);
    };
    return {
      JSXText(node) {
        if (wordy.test(node.value)) report(node, node.value);
      },
      // {"Lagre"} or {busy ? "Lagrer" : t("save")} as a child is shown text too.
      JSXExpressionContainer(node) {
        if (node.parent.type === "JSXElement" || node.parent.type === "JSXFragment") check(node.expression);
      },
      JSXAttribute(node) {
        const name = typeof node.name.name === "string" ? node.name.name : "";
        if (!textAttributes.has(name) || !node.value) return;
        const v = node.value;
        if (v.type === "Literal" && typeof v.value === "string" && wordy.test(v.value)) report(v, v.value);
        if (v.type === "JSXExpressionContainer") check(v.expression);
      },
    };
  },
};

export default { rules: { "no-inline-ui-strings": noInlineUiStrings } };
