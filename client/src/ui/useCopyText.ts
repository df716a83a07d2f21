import { useRef, useState } from "react";

/**
 * Copies a secret shown once (a one-time password, a calendar address) to the clipboard;
 * without clipboard access (e.g. plain http) it selects the text so it can be copied by hand.
 * `codeRef` goes on the element that shows the text.
 */
export function useCopyText() {
  const codeRef = useRef<HTMLElement>(null);
  const [copy, setCopy] = useState<"copied" | "failed" | null>(null);
  const copyText = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopy("copied");
    } catch {
      const selection = window.getSelection();
      if (selection && codeRef.current) selection.selectAllChildren(codeRef.current);
      setCopy("failed");
    }
  };
  return { codeRef, copy, setCopy, copyText };
}
