// Project lint rules. `no-inline-ui-strings`: text a person reads (JSX text and the
// attributes that carry words) must come from the i18n catalog, never inline.
const wordy = /\p{L}/u;
const textAttributes = new Set(["aria-label", "aria-description", "title", "placeholder", "alt", "label"]);

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
    return {
      JSXText(node) {
        if (wordy.test(node.value)) report(node, node.value);
      },
      JSXAttribute(node) {
        const name = typeof node.name.name === "string" ? node.name.name : "";
        if (!textAttributes.has(name) || !node.value) return;
        const v = node.value;
        if (v.type === "Literal" && typeof v.value === "string" && wordy.test(v.value)) report(v, v.value);
        if (v.type === "JSXExpressionContainer" && v.expression.type === "Literal" && typeof v.expression.value === "string" && wordy.test(v.expression.value)) report(v, v.expression.value);
      },
    };
  },
};

export default { rules: { "no-inline-ui-strings": noInlineUiStrings } };
