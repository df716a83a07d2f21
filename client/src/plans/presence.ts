/**
 * Colours for people in the plan (presence avatars and live cursors): dark enough that
 * white text on them passes WCAG AA (4.5:1), and stable per user across sessions.
 */
const palette = ["#0b4f7c", "#1c5e33", "#a4231b", "#6b2fa0", "#7a4a00", "#00606b", "#8a1f5a", "#3d4db7"] as const;

export function colorFor(userId: string): string {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0;
  return palette[hash % palette.length]!;
}

/** "Hanne Helsesykepleier" → "HH". */
export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]!, parts[parts.length - 1]!] : parts;
  return letters.map((p) => p[0]!.toUpperCase()).join("") || "?";
}
