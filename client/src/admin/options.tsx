import { roles } from "@laget/domain";
import { useT } from "../i18n/I18nProvider.tsx";
import type { Unit } from "./queries.ts";

export function UnitOptions({ units }: { units: Unit[] }) {
  return units.map((u) => (
    <option key={u.id} value={u.id}>
      {u.name}
    </option>
  ));
}

export function RoleOptions() {
  const t = useT();
  return roles.map((r) => (
    <option key={r} value={r}>
      {t(`role.${r}`)}
    </option>
  ));
}
