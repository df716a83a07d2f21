import { useEffect, useId, useRef, useState, type FocusEvent, type KeyboardEvent } from "react";
import { useLocation } from "react-router";

/**
 * A disclosure (button + panel) of the header, not an ARIA menu: the panel mixes text,
 * links and buttons, and plain Tab navigation through it is what keyboard users expect.
 * Escape closes it and gives focus back to the button; it closes when focus or a click
 * leaves it (focusout covers both), and when a link in it is followed.
 */
export function useDisclosure() {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const location = useLocation();

  useEffect(() => setOpen(false), [location.pathname]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (open && event.key === "Escape") {
      event.stopPropagation();
      setOpen(false);
      buttonRef.current?.focus();
    }
  };
  const onBlur = (event: FocusEvent<HTMLDivElement>) => {
    if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOpen(false);
  };

  return {
    open,
    panelId,
    /** On the element around the button and the panel. */
    containerProps: { onKeyDown, onBlur },
    buttonProps: {
      ref: buttonRef,
      type: "button" as const,
      "aria-expanded": open,
      "aria-controls": panelId,
      onClick: () => setOpen((o) => !o),
    },
  };
}
