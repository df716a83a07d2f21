// Kept apart from the plan editor so that the sign-out path does not pull Yjs and
// TipTap into the main bundle.

/** Every IndexedDB database holding this user's plan copies starts with this. */
export function localPlanPrefix(userId: string): string {
  return `laget:${userId}:`;
}

/**
 * Deletes every plan copy this user keeps on the device: on an explicit logout (online,
 * so nothing unsent is lost) a shared computer keeps no family's plan.
 */
export async function clearLocalPlansOf(userId: string): Promise<void> {
  const prefix = localPlanPrefix(userId);
  const databases = (await indexedDB.databases?.()) ?? [];
  await Promise.all(
    databases
      .filter((d) => d.name?.startsWith(prefix))
      .map(
        (d) =>
          new Promise<void>((resolve) => {
            const request = indexedDB.deleteDatabase(d.name!);
            request.onsuccess = request.onerror = request.onblocked = () => resolve();
          }),
      ),
  );
}
