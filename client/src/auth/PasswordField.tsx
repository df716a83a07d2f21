import type { ComponentProps } from "react";
import { TextField } from "../ui/FormField.tsx";

/** A required password field whose changes report the typed text; autoComplete tells managers which password it is. */
export function PasswordField({
  onValue,
  ...props
}: Omit<ComponentProps<typeof TextField>, "type" | "required" | "onChange"> & { autoComplete: "current-password" | "new-password"; onValue: (value: string) => void }) {
  return <TextField type="password" required onChange={(e) => onValue(e.target.value)} {...props} />;
}
