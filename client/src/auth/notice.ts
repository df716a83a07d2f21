/**
 * A message for the next login page, e.g. after logging out. Kept outside React state
 * because the page that sets it (the shell) is unmounted by the time the login page shows.
 */
export type LoginNotice = "loggedOut" | "sessionEnded";

let pending: LoginNotice | null = null;

export function setLoginNotice(notice: LoginNotice) {
  pending = notice;
}

export function takeLoginNotice(): LoginNotice | null {
  const notice = pending;
  pending = null;
  return notice;
}
