import { messageText } from "./catalog.ts";
import type { MessageKey, TFunction } from "./types.ts";

/**
 * Names the server seeds in bokmål (plan life areas, legal bases for disclosures) shown in
 * the UI language: translated by their key while they are still the seeded text, shown as
 * written once a municipality has named them itself (its own words are not ours to translate).
 */
export function seededName(t: TFunction, key: MessageKey, name: string): string {
  return messageText("nb", key) === name ? t(key) : name;
}

export function lifeAreaName(t: TFunction, domain: { id: string; name: string }): string {
  return seededName(t, `plan.lifeAreas.${domain.id}` as MessageKey, domain.name);
}

export function statuteLabel(t: TFunction, statute: { key: string; title: string; reference: string }): string {
  const base = `statute.${statute.key}`;
  return t("disclosure.statuteOption", {
    title: seededName(t, `${base}.title` as MessageKey, statute.title),
    reference: seededName(t, `${base}.reference` as MessageKey, statute.reference),
  });
}
