import type { PresenceStatus } from "@laget/domain";
import { EventCursor, type Ack, type AccessEndedReason, type CaseAccessEnded, type Presence, type SyncAnswer, type Typing, type UserEvent } from "@laget/realtime";
import { io, type Socket } from "socket.io-client";
import { clearLocalPlan, clearLocalPlansOf, localPlanCaseIds } from "../plans/local-copies.ts";
import { apiErrorOf, queryClient, SocketRequestError, trpc } from "../trpc.ts";
import { mergeThread, messageFromWire, patchSummary, Store, threadKey, withRead, type Message, type ThreadData } from "./thread-cache.ts";

/**
 * The messaging socket: one per signed-in session. It keeps the user's event stream
 * lossless with @laget/realtime's EventCursor (DESIGN.md §5; the tests' client in
 * server/src/testing/live-client.ts uses the same one) and feeds every event into the
 * TanStack Query caches the views read (thread-cache.ts). A (re)start of the cursor, on
 * the first hello or after a `reset`, fetches the views again.
 *
 * Typing, presence, the connection state and revoked conversations are small stores
 * next to it (read with useSyncExternalStore).
 */
export type ConnectionState = "connecting" | "connected" | "disconnected";
/** Why an open conversation went away: consent narrowed (case thread) or removed from a group. */
export type Lost = "revoked" | "removed";
export type { AccessEndedReason };
/** An open case page whose access ended: its case thread, if it was opened, keeps the unsent draft. */
export type CaseEnded = { reason: AccessEndedReason; conversationId: string | null };
type AccessEnded = CaseAccessEnded;

/** A watch the server refused: the case (or its plan) is no longer there for this user. */
const isRefusal = (err: unknown) => ["NOT_FOUND", "NO_BASIS", "FORBIDDEN"].includes(apiErrorOf(err).appCode ?? "");

const REQUEST_TIMEOUT_MS = 10_000;
const TYPING_SHOWN_MS = 8_000;
const AWAY_AFTER_MS = 5 * 60_000;

export class Realtime {
  readonly userId: string;
  readonly connection = new Store<ConnectionState>("connecting");
  /** conversationId → ids of users typing there now. */
  readonly typing = new Store<ReadonlyMap<string, readonly string[]>>(new Map());
  readonly presence = new Store<ReadonlyMap<string, PresenceStatus>>(new Map());
  readonly lost = new Store<ReadonlyMap<string, Lost>>(new Map());
  /** caseId → why access to an open case page ended. */
  readonly ended = new Store<ReadonlyMap<string, CaseEnded>>(new Map());

  private socket: Socket | null = null;
  private readonly cursor = new EventCursor<UserEvent>({
    apply: (e) => this.apply(e),
    onApplyError: (err) => console.error("messaging event not applied", err),
    onStart: (_head, reset) => this.refetchViews(reset),
    sync: (since) => this.request<SyncAnswer>("sync", { since }),
  });
  private typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private away = false;
  private lastActivity = Date.now();
  private stopHeartbeat: (() => void) | null = null;
  /** caseId → open case pages watching it. */
  private watchedCases = new Map<string, number>();
  /** Cases whose plan is kept on this device and watched (besides those found in IndexedDB at connect). */
  private watchedPlans = new Set<string>();

  constructor(userId: string) {
    this.userId = userId;
  }

  start() {
    if (this.socket) return;
    const socket = io(window.location.origin, { transports: ["websocket"] });
    this.socket = socket;
    this.connection.set("connecting");
    socket.on("hello", (hello: { lastEventId: number }) => this.onHello(hello.lastEventId));
    socket.on("event", (e: UserEvent) => this.cursor.accept(e));
    socket.on("typing", (p: Typing) => this.onTyping(p.conversationId, p.userId, p.typing));
    socket.on("presence", (p: Presence) => this.setPresence({ [p.userId]: p.status }));
    socket.on("conversation:revoked", (p: { conversationId: string }) => this.forget(p.conversationId, "revoked"));
    socket.on("case:accessEnded", (p: AccessEnded) => this.onAccessEnded(p));
    // This session ended (logout elsewhere, deactivation): no plan copy outlives it.
    socket.on("session:ended", () => this.sessionLost());
    // A hint only (sent to the conversation's room): its members changed, fetch them again.
    socket.on("conversation:members", (p: { conversationId: string }) =>
      void queryClient.invalidateQueries({ queryKey: trpc.conversations.members.queryKey({ conversationId: p.conversationId }) }),
    );
    socket.on("disconnect", (reason) => {
      this.connection.set("disconnected");
      // The server closed this socket on purpose (e.g. its session was checked again): socket.io
      // does not reconnect by itself then. Try once; a refused handshake ends it (connect_error).
      if (reason === "io server disconnect") setTimeout(() => this.socket === socket && socket.connect(), 1_000);
    });
    socket.on("connect_error", (err) => {
      this.connection.set("disconnected");
      // A refused handshake (signed out elsewhere): let `auth.me` decide what to show.
      if (!socket.active && err.message === "UNAUTHENTICATED") this.sessionLost();
    });
    this.stopHeartbeat = this.startHeartbeat();
  }

  stop() {
    this.stopHeartbeat?.();
    this.stopHeartbeat = null;
    this.socket?.close();
    this.socket = null;
    for (const t of this.typingTimers.values()) clearTimeout(t);
    this.typingTimers.clear();
    this.cursor.stop();
  }

  lastEventId(): number {
    return this.cursor.lastEventId();
  }

  /** An acked request; resolves with the answer or throws a SocketRequestError (shown by errorText). */
  async request<T = Record<string, never>>(event: string, payload?: unknown): Promise<T> {
    const socket = this.socket;
    if (!socket) throw new SocketRequestError(null);
    let ack: Ack<T>;
    try {
      ack = (await socket.timeout(REQUEST_TIMEOUT_MS).emitWithAck(event, payload)) as Ack<T>;
    } catch {
      throw new SocketRequestError(null);
    }
    if (!ack.ok) throw new SocketRequestError(ack.error.code, ack.error.fieldErrors ?? null);
    return ack;
  }

  // --- The lossless event stream -------------------------------------------------

  private onHello(head: number) {
    this.connection.set("connected");
    this.cursor.hello(head);
    if (this.away) this.socket?.emit("presence:set", { status: "away" });
    // Rooms do not survive a new connection: watch again, and let the server judge every plan copy kept here.
    for (const caseId of this.watchedCases.keys()) this.sendWatch(caseId);
    void this.checkPlanCopies();
  }

  /**
   * The cursor starts (again): whatever was fetched before this socket existed may have
   * missed events, so the views are fetched again. After a reset, cached threads may hold
   * edits and deletions never replayed: they start over.
   */
  private refetchViews(reset: boolean) {
    void queryClient.invalidateQueries({ queryKey: trpc.conversations.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.messages.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.referrals.pathKey() });
    if (reset) void queryClient.resetQueries({ queryKey: ["messaging"] });
    else void queryClient.invalidateQueries({ queryKey: ["messaging"] });
  }

  private apply(event: UserEvent) {
    const conversationId = event.conversationId;
    switch (event.type) {
      case "gone":
        return;
      case "message.created":
      case "message.edited":
      case "message.deleted": {
        if (!event.message || !conversationId) return;
        const message = messageFromWire(event.message);
        this.addMessage(message);
        if (event.type === "message.created") this.onTyping(conversationId, message.authorUserId, false);
        return;
      }
      case "conversation.read": {
        if (!conversationId) return;
        const data = event.data as { lastReadSeq: number; mentionCount: number } | undefined;
        if (!data) return;
        patchSummary(conversationId, (c) => ({ ...withRead(c, data.lastReadSeq), mentionCount: data.mentionCount }));
        return;
      }
      case "conversation.added":
        void queryClient.invalidateQueries({ queryKey: trpc.conversations.list.queryKey() });
        this.unforget(conversationId);
        return;
      case "conversation.removed":
        if (conversationId) this.forget(conversationId, "removed");
        return;
      case "meeting.invited":
      case "meeting.changed":
      case "meeting.cancelled":
        // Neutral (a series' id and what changed): the meeting views fetch what this user may see now.
        void queryClient.invalidateQueries({ queryKey: trpc.meetings.pathKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.agenda.pathKey() });
        return;
      case "referral.changed":
        // Neutral (its id and new status): the referral views fetch what this user may see now.
        void queryClient.invalidateQueries({ queryKey: trpc.referrals.pathKey() });
        return;
      case "notification": {
        // The bell: a live bump now; its own query is fetched again for the exact count.
        const countKey = trpc.notifications.unreadCount.queryKey();
        queryClient.setQueryData(countKey, (n) => (n ?? 0) + 1);
        void queryClient.invalidateQueries({ queryKey: trpc.notifications.pathKey() });
        if (event.data?.kind === "mention" && conversationId) patchSummary(conversationId, (c) => ({ ...c, mentionCount: c.mentionCount + 1 }));
        if (typeof event.data?.kind === "string" && event.data.kind.startsWith("referral_")) void queryClient.invalidateQueries({ queryKey: trpc.referrals.pathKey() });
        return;
      }
    }
  }

  /** A message as the server now has it (from an event or an ack), into its thread and its conversation's summary. */
  addMessage(message: Message) {
    const key = threadKey(message.conversationId);
    queryClient.setQueryData<ThreadData>(key, (data) => mergeThread(data, [message]));
    if (queryClient.getQueryState(key)?.fetchStatus === "fetching") void queryClient.invalidateQueries({ queryKey: key });
    const found = patchSummary(message.conversationId, (c) => {
      const lastSeq = Math.max(c.lastSeq, message.seq);
      const newer = !c.lastMessageAt || message.createdAt > c.lastMessageAt;
      const next = { ...c, lastSeq, lastMessageAt: newer ? message.createdAt : c.lastMessageAt };
      // The author has read their own message (the server records the same).
      return withRead(next, message.authorUserId === this.userId ? message.seq : c.lastReadSeq);
    });
    if (!found) void queryClient.invalidateQueries({ queryKey: trpc.conversations.list.queryKey() });
  }

  /** The conversation is gone for this user: out of the list and the caches, and the open view says why. */
  private forget(conversationId: string, why: Lost) {
    const lost = new Map(this.lost.get());
    lost.set(conversationId, why);
    this.lost.set(lost);
    queryClient.setQueryData(trpc.conversations.list.queryKey(), (list) => list?.filter((c) => c.id !== conversationId));
    queryClient.removeQueries({ queryKey: threadKey(conversationId) });
    queryClient.removeQueries({ queryKey: trpc.conversations.get.queryKey({ conversationId }) });
    queryClient.removeQueries({ queryKey: trpc.conversations.members.queryKey({ conversationId }) });
    this.onTyping(conversationId, null, false);
  }

  private unforget(conversationId: string | null) {
    if (!conversationId || !this.lost.get().has(conversationId)) return;
    const lost = new Map(this.lost.get());
    lost.delete(conversationId);
    this.lost.set(lost);
  }

  // --- Watching open cases and the plan copies on this device ---------------------

  /** An open case page: told at once when access ends (see `ended`). Returns the unwatch. */
  watchCase(caseId: string): () => void {
    const count = this.watchedCases.get(caseId) ?? 0;
    this.watchedCases.set(caseId, count + 1);
    if (count === 0) this.sendWatch(caseId);
    return () => {
      const left = (this.watchedCases.get(caseId) ?? 1) - 1;
      if (left > 0) return void this.watchedCases.set(caseId, left);
      this.watchedCases.delete(caseId);
      this.socket?.emit("case:unwatch", { caseId }, () => {});
    };
  }

  /** A plan now kept on this device: its copy goes when the user's plan access does. */
  watchPlanCopy(caseId: string) {
    if (this.watchedPlans.has(caseId)) return;
    this.watchedPlans.add(caseId);
    if (this.socket?.connected) this.sendPlanWatch(caseId);
  }

  /** The notice has been read and the page left: a later visit starts afresh. */
  dismissEnded(caseId: string) {
    if (!this.ended.get().has(caseId)) return;
    const next = new Map(this.ended.get());
    next.delete(caseId);
    this.ended.set(next);
  }

  private sendWatch(caseId: string) {
    if (!this.socket?.connected) return; // sent on the next hello
    // Refused although the page had loaded: access ended while this socket was away.
    this.request("case:watch", { caseId }).catch((err: unknown) => {
      if (isRefusal(err) && this.watchedCases.has(caseId)) this.onAccessEnded({ caseId, scope: "case", reason: "access_ended" });
    });
  }

  private sendPlanWatch(caseId: string) {
    this.request("case:watch", { caseId, scope: "plan" }).catch((err: unknown) => {
      if (isRefusal(err)) this.dropPlanCopy(caseId);
    });
  }

  private async checkPlanCopies() {
    const kept = await localPlanCaseIds(this.userId).catch(() => []);
    for (const caseId of new Set([...kept, ...this.watchedPlans])) this.sendPlanWatch(caseId);
  }

  private dropPlanCopy(caseId: string) {
    this.watchedPlans.delete(caseId);
    void clearLocalPlan(this.userId, caseId);
  }

  private onAccessEnded({ caseId, scope, reason }: AccessEnded) {
    this.dropPlanCopy(caseId);
    if (scope !== "case" || !this.watchedCases.has(caseId)) return;
    const conversationId = queryClient.getQueryData<{ id: string }>(["caseConversation", caseId])?.id ?? null;
    const next = new Map(this.ended.get());
    next.set(caseId, { reason, conversationId });
    this.ended.set(next);
    // Every cached answer asked by this case id goes (the case, its notes, consents, plan revisions, its thread).
    queryClient.removeQueries({ predicate: (q) => q.queryKey.some((part) => part === caseId || (part as { input?: { caseId?: unknown } } | null)?.input?.caseId === caseId) });
    if (conversationId) this.forget(conversationId, "revoked");
  }

  /** The session is gone however it ended: plan copies go with it, and `auth.me` decides what to show. */
  private sessionLost() {
    void clearLocalPlansOf(this.userId);
    void queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
  }

  // --- Reading, typing, presence ------------------------------------------------

  /** Marks the conversation read up to `seq`: the badge clears at once, the server confirms with an event. */
  async markRead(conversationId: string, seq: number) {
    patchSummary(conversationId, (c) => ({ ...withRead(c, seq), mentionCount: 0 }));
    const state = await this.request<{ lastReadSeq: number; mentionCount: number }>("conversation:read", { conversationId, seq });
    patchSummary(conversationId, (c) => ({ ...withRead(c, state.lastReadSeq), mentionCount: state.mentionCount }));
  }

  join(conversationId: string) {
    this.unforget(conversationId);
    return this.request("conversation:join", { conversationId });
  }

  leave(conversationId: string) {
    this.socket?.emit("conversation:leave", { conversationId }, () => {});
  }

  sendTyping(conversationId: string, typing: boolean) {
    if (this.socket?.connected) this.socket.emit("typing", { conversationId, typing });
  }

  /** userId null: everyone in the conversation stops. */
  private onTyping(conversationId: string, userId: string | null, typing: boolean) {
    const current = this.typing.get();
    const users = current.get(conversationId) ?? [];
    const timerKey = `${conversationId}:${userId}`;
    if (userId === null) {
      if (users.length === 0) return;
      for (const u of users) clearTimeout(this.typingTimers.get(`${conversationId}:${u}`));
    } else {
      clearTimeout(this.typingTimers.get(timerKey));
      this.typingTimers.delete(timerKey);
      if (typing) this.typingTimers.set(timerKey, setTimeout(() => this.onTyping(conversationId, userId, false), TYPING_SHOWN_MS));
      if (typing === users.includes(userId)) return;
    }
    const next = new Map(current);
    const remaining = userId === null ? [] : typing ? [...users, userId] : users.filter((u) => u !== userId);
    if (remaining.length) next.set(conversationId, remaining);
    else next.delete(conversationId);
    this.typing.set(next);
  }

  async queryPresence(userIds: readonly string[]) {
    if (userIds.length === 0) return;
    const res = await this.request<{ presence: Record<string, PresenceStatus> }>("presence:query", { userIds });
    this.setPresence(res.presence);
  }

  private setPresence(update: Record<string, PresenceStatus>) {
    const next = new Map(this.presence.get());
    for (const [u, s] of Object.entries(update)) next.set(u, s);
    this.presence.set(next);
  }

  /** Away when the tab is hidden or nothing has happened for a while; online again on the next activity. */
  private startHeartbeat(): () => void {
    const update = () => {
      const away = document.visibilityState === "hidden" || Date.now() - this.lastActivity > AWAY_AFTER_MS;
      if (away === this.away) return;
      this.away = away;
      if (this.socket?.connected) this.socket.emit("presence:set", { status: away ? "away" : "online" }, () => {});
    };
    let lastCheck = 0;
    const activity = () => {
      this.lastActivity = Date.now();
      if (this.away || Date.now() - lastCheck > 10_000) {
        lastCheck = Date.now();
        update();
      }
    };
    const events = ["pointerdown", "keydown", "focus", "scroll"] as const;
    for (const e of events) window.addEventListener(e, activity, { passive: true, capture: true });
    document.addEventListener("visibilitychange", update);
    const timer = setInterval(update, 30_000);
    return () => {
      for (const e of events) window.removeEventListener(e, activity, { capture: true });
      document.removeEventListener("visibilitychange", update);
      clearInterval(timer);
    };
  }
}
