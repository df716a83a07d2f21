/**
 * Unsent message drafts, per user and conversation, kept in this tab's session storage
 * (gone when the tab closes, so a shared computer keeps none). The composer saves as the
 * user types; when access to a case ends, the notice that replaces the page offers the
 * draft back, so nothing the user wrote is lost with the view.
 */
const key = (userId: string, conversationId: string) => `laget:${userId}:draft:${conversationId}`;

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function loadDraft(userId: string, conversationId: string): string {
  return storage()?.getItem(key(userId, conversationId)) ?? "";
}

export function saveDraft(userId: string, conversationId: string, text: string) {
  try {
    if (text) storage()?.setItem(key(userId, conversationId), text);
    else storage()?.removeItem(key(userId, conversationId));
  } catch {
    // Storage full or refused: the draft simply is not kept.
  }
}

export function clearDraft(userId: string, conversationId: string) {
  storage()?.removeItem(key(userId, conversationId));
}
