// Kept apart from the plan editor so that the sign-out path and the messaging socket do
// not pull Yjs and TipTap into the main bundle.

/** Every IndexedDB database holding this user's plan copies starts with this. */
export function localPlanPrefix(userId: string): string {
  return `laget:${userId}:`;
}

/** The plan document's name ("plan:<caseId>", as in @laget/plan), without importing the plan schema. */
const PLAN_PREFIX = "plan:";

/** The IndexedDB database for one user's copy of one plan: never shared between users of a device. */
export function localPlanName(userId: string, caseId: string): string {
  return `${localPlanPrefix(userId)}${PLAN_PREFIX}${caseId}`;
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/** This user's databases on the device (the list of plan copies kept here). */
async function localDatabases(userId: string): Promise<string[]> {
  const prefix = localPlanPrefix(userId);
  const databases = (await indexedDB.databases?.()) ?? [];
  return databases.flatMap((d) => (d.name?.startsWith(prefix) ? [d.name] : []));
}

/** The cases whose plan this user keeps on this device: each is judged by the server again on every connect. */
export async function localPlanCaseIds(userId: string): Promise<string[]> {
  const prefix = `${localPlanPrefix(userId)}${PLAN_PREFIX}`;
  return (await localDatabases(userId)).flatMap((name) => (name.startsWith(prefix) ? [name.slice(prefix.length)] : []));
}

/** Deletes this device's copy of one plan (access to it ended, or was refused). */
export function clearLocalPlan(userId: string, caseId: string): Promise<void> {
  return deleteDatabase(localPlanName(userId, caseId));
}

/**
 * Deletes every plan copy this user keeps on the device: whenever the session ends
 * (logout here or elsewhere, expiry, deactivation), so a shared computer keeps no
 * family's plan.
 */
export async function clearLocalPlansOf(userId: string): Promise<void> {
  await Promise.all((await localDatabases(userId)).map(deleteDatabase));
}
