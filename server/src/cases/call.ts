import type { AsActor } from "../auth/actor.ts";
import type { EventBus } from "../events/bus.ts";
import type { Realtime } from "../messaging/realtime.ts";

/** A procedure that tells other nodes of a lapse (`bus`). */
export type AsActorWithBus = AsActor & { bus: EventBus };
/** A procedure that rings someone's bell at once (`realtime`). */
export type AsActorWithRealtime = AsActor & { realtime: Realtime };

